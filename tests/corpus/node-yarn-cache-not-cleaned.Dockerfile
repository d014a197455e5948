FROM node:18.20.4-alpine

WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
RUN yarn global add serve@14.2.3
COPY . .
RUN yarn build

USER node
EXPOSE 5000
CMD ["serve", "-s", "build", "-l", "5000"]
