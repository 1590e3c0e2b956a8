# syntax=docker/dockerfile:1
# tusk's image: the static binary, ffmpeg for video and audio, nothing compiled at start.
# Build: docker build --build-arg VERSION=v0.1.0 -t tusk .
# Every setting is an environment variable (tusk serve --help); state lives in /data
# (SQLite and local media) unless DATABASE_URL and S3 move it elsewhere.

FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CGO off: a static binary, no libc to match in the runtime image. Templates, styles and
# migrations are embedded in it (go:embed), so the runtime image needs no assets.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/tuskhq/tusk/internal/version.Version=${VERSION}" \
      -o /out/tusk ./cmd/tusk

FROM alpine:3.22
RUN apk add --no-cache ffmpeg ca-certificates tzdata \
 && addgroup -S -g 991 tusk \
 && adduser -S -D -H -u 991 -G tusk -h /data tusk \
 && mkdir /data && chown tusk:tusk /data
COPY --from=build /out/tusk /usr/local/bin/tusk
USER tusk
WORKDIR /data
ENV TUSK_DATA_DIR=/data BIND=0.0.0.0 PORT=3000
VOLUME /data
EXPOSE 3000
# /health answers while the process runs; /readyz also checks the database and friends.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["tusk"]
CMD ["serve"]
