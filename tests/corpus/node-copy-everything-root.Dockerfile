FROM node:lts

COPY . .
RUN npm install --production
RUN npm install pm2@5.4.1 -g
EXPOSE 8080 9229
ENTRYPOINT ["pm2-runtime"]
CMD ["ecosystem.config.js"]
