FROM php:8.3.9-fpm-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends libzip-dev=1.7.3-1+b1 libpng-dev=1.6.39-2 \
    && docker-php-ext-install -j"$(nproc)" pdo_mysql zip gd \
    && pecl install redis-6.0.2 \
    && docker-php-ext-enable redis \
    && rm -rf /var/lib/apt/lists/* /tmp/pear

COPY --from=composer:2.7.7 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist --no-progress
COPY . .
USER www-data
HEALTHCHECK CMD ["php-fpm-healthcheck"]
CMD ["php-fpm"]
