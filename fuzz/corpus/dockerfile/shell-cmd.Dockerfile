FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y tini postgresql-15
STOPSIGNAL SIGINT
ENTRYPOINT ["tini", "--"]
CMD /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/data
