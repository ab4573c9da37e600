# Premises: one image for every process. `docker run premises` serves every API on port 8000 (the same
# `premises serve` the test suite starts); `docker run premises migrate|doctor|backup|user ...` runs the
# other commands. Data (the SQLite database when PREMISES_DATABASE_URL is unset, uploaded files, the
# signing key) lives in the /data volume. docs/operations.md describes the container.

# Build stage: install Premises and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/premises && /opt/premises/bin/pip install .

# Runtime stage: the virtual environment only (no compiler, no sources), run by an unprivileged user.
FROM python:3.11-slim
ENV PATH=/opt/premises/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PREMISES_DATA_DIR=/data
RUN groupadd --system --gid 10001 premises \
    && useradd --system --uid 10001 --gid premises --home-dir /data --shell /usr/sbin/nologin premises \
    && mkdir /data && chown premises:premises /data && chmod 700 /data
COPY --from=build /opt/premises /opt/premises
USER premises
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# python, not curl: the slim image has no curl. /healthz answers while the process is up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PREMISES_PORT', '8000') + '/healthz', timeout=4)"]
ENTRYPOINT ["premises"]
CMD ["serve", "--host", "0.0.0.0"]
