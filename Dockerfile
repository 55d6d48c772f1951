# Image for docker-compose.yml: web, worker and beat share it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBIAN_FRONTEND=noninteractive
# postgresql-client: pg_dump/pg_restore for `manage.py backup` and `restore` (bookworm's is 15,
# the same major version as the compose file's postgres:15; pg_dump refuses a newer server).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libmagic1 fonts-noto-cjk fonts-wqy-microhei \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Compile the catalogues into the image: web, worker and beat all render Chinese (emails and
# notifications are rendered by the worker), and .mo files are not in the repository.
RUN django-admin compilemessages
RUN useradd --create-home waijiao && mkdir -p /data/media && chown -R waijiao /app /data
USER waijiao
EXPOSE 8000
