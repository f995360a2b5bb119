FROM postgres:16
# shell form: /bin/sh -c stays PID 1; SIGTERM is a smart shutdown
STOPSIGNAL SIGTERM
ENTRYPOINT docker-entrypoint.sh postgres -c password_encryption=scram-sha-256
