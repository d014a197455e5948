FROM ruby:3.3

RUN gem install bundler rails
RUN gem install nokogiri -- --use-system-libraries
RUN gem i pry
RUN gem install rake -v 13.2.1 && gem install puma:6.4.2 && gem install rubocop --version 1.64.1

WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .
CMD ["rails", "server", "-b", "0.0.0.0"]
