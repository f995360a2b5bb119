FROM postgres:16
# the base's CMD ["postgres"] is reset: the entrypoint gets no command
ENTRYPOINT ["docker-entrypoint.sh"]
