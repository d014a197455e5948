FROM python:3.11

WORKDIR /app
RUN pip install django gunicorn psycopg2-binary
RUN pip install --upgrade pip
RUN python -m pip install celery redis
COPY . /app
EXPOSE 8000
CMD gunicorn project.wsgi:application --bind 0.0.0.0:8000
