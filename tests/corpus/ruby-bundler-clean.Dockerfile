FROM ruby:3.3.4-slim-bookworm

ENV BUNDLE_DEPLOYMENT=1 \
    BUNDLE_WITHOUT="development:test" \
    BUNDLE_PATH=/usr/local/bundle

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential=12.9 libpq-dev=15.7-0+deb12u1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /rails
COPY Gemfile Gemfile.lock ./
RUN bundle install && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache

COPY . .
RUN useradd rails --uid 1000 --create-home --shell /bin/bash \
    && chown -R rails:rails db log storage tmp
USER 1000:1000
EXPOSE 3000
HEALTHCHECK CMD ["curl", "-f", "http://localhost:3000/up"]
CMD ["./bin/rails", "server"]
