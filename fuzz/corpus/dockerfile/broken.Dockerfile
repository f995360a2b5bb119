# a typo
FROM postgres:16
FORM debian
