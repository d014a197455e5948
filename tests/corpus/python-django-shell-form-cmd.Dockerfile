FROM python:3.11.9-slim

ENV PYTHONUNBUFFERED 1
WORKDIR /code
COPY requirements.txt /code/
RUN pip install --no-cache-dir -r requirements.txt
COPY . /code/
RUN python manage.py collectstatic --noinput

USER www-data
EXPOSE 8000
ENTRYPOINT ./docker-entrypoint.sh
CMD python manage.py runserver 0.0.0.0:8000
