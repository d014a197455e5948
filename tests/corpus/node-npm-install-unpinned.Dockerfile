FROM node:20

WORKDIR /usr/src/app
RUN npm install -g nodemon typescript
RUN npm install express body-parser
COPY . .
RUN npm install
EXPOSE 3000
CMD npm start
