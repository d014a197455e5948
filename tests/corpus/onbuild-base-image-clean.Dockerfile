FROM node:20.15.1-alpine3.20

WORKDIR /usr/src/app
ONBUILD COPY package.json package-lock.json /usr/src/app/
ONBUILD RUN npm ci --omit=dev --no-audit
ONBUILD COPY . /usr/src/app/
USER node
HEALTHCHECK NONE
CMD ["npm", "start"]
