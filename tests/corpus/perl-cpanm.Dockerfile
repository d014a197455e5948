FROM perl:5.40

RUN cpanm --notest Mojolicious DBI
RUN curl -L https://cpanm.example.org | perl - App::cpanminus
COPY app.pl /srv/app.pl
EXPOSE 3000
CMD ["perl", "/srv/app.pl", "daemon"]
