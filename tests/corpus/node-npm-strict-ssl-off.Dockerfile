FROM node:18.20.4

RUN npm config set strict-ssl false
RUN npm config set registry http://npm.internal.example.com/
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
RUN yarn config set strict-ssl false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
USER node
CMD ["node", "index.js"]
