FROM postgres:16.3-alpine3.20
ENV POSTGRES_DB=inventory
COPY --chown=postgres:postgres initdb/ /docker-entrypoint-initdb.d/
COPY --chown=postgres:postgres conf/postgresql.conf /etc/postgresql/postgresql.conf
USER postgres
HEALTHCHECK --interval=10s CMD ["pg_isready", "-d", "inventory"]
CMD ["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"]
