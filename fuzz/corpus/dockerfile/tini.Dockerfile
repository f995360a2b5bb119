# an init, exec form, SIGINT: nothing to say
FROM postgres:16
RUN apt-get update && apt-get install -y --no-install-recommends tini
ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
CMD ["postgres"]
