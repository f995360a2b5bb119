FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y postgresql-15
CMD ["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/data"]
STOPSIGNAL SIGINT
