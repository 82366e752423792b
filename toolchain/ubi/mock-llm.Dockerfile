# Kubernaut's mock LLM (test/services/mock-llm) for a machine without its remote images: Kubernaut's go.Dockerfile
# names its builder and runtime images by digest with no BUILDER_IMAGE/BASE_IMAGE argument to replace them. This one
# takes the toolchain's stand-ins through those arguments (as Kubernaut's service Dockerfiles do) and builds what the
# original's last stage builds, without its `dnf update` (refused by `lint:dockerfiles`) and without its
# `go mod download` of every module (the stand-in holds what the mock needs; the proxy refuses two modules it doesn't).
ARG BUILDER_IMAGE=localhost/kubernaut-e2e/go-toolset:1.26
ARG BASE_IMAGE=localhost/kubernaut-e2e/ubi-minimal:10
FROM ${BUILDER_IMAGE} AS builder
ARG TARGETARCH
ARG GOOS=linux
ARG GOARCH=${TARGETARCH:-amd64}
ARG GOFLAGS=""
USER root
RUN dnf install -y git ca-certificates tzdata && \
	dnf clean all
USER 1001
WORKDIR /opt/app-root/src
COPY --chown=1001:0 . .
RUN if [ "${GOFLAGS}" = "-cover" ]; then \
	CGO_ENABLED=0 GOOS=${GOOS} GOARCH=${GOARCH} GOFLAGS=${GOFLAGS} go build -mod=mod -o mock-llm \
	./test/services/mock-llm/cmd/mock-llm; \
	else \
	CGO_ENABLED=0 GOOS=${GOOS} GOARCH=${GOARCH} go build -mod=mod -ldflags="-s -w" -o mock-llm \
	./test/services/mock-llm/cmd/mock-llm; \
	fi

FROM ${BASE_IMAGE} AS development
RUN microdnf install -y ca-certificates tzdata shadow-utils && \
	microdnf clean all
RUN useradd -r -u 1001 -g root mockllm-user
COPY --from=builder /opt/app-root/src/mock-llm /usr/local/bin/mock-llm
USER 1001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/mock-llm"]
