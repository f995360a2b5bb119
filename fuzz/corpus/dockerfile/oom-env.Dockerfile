FROM postgres:16
RUN apt-get update && apt-get install -y tini
ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
ENV PG_OOM_ADJUST_FILE=/proc/1/oom_score_adj PG_OOM_ADJUST_VALUE=0
CMD ["postgres"]
