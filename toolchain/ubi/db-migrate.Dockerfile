# Kubernaut's db-migrate image for a machine without its remote images: Kubernaut's own Dockerfile builds goose in a
# stage pinned to a remote go-toolset by digest and runs on a digest-pinned ubi-minimal, which no build argument
# replaces. This one takes the toolchain's goose (the same version and PostgreSQL-only tags, from Go modules) and the
# toolchain's BASE_IMAGE stand-in, and then does what Kubernaut's production stage does, without its `microdnf update`
# (which `lint:dockerfiles` refuses: it makes builds slow and unreproducible).
ARG GOOSE_IMAGE=localhost/kubernaut-e2e/goose:v3.27.2
ARG BASE_IMAGE=localhost/kubernaut-e2e/ubi-minimal:10
FROM ${GOOSE_IMAGE} AS goose

FROM ${BASE_IMAGE}
COPY --from=goose /usr/local/bin/goose /usr/local/bin/goose
RUN microdnf install -y postgresql ca-certificates shadow-utils && \
	microdnf clean all
RUN useradd -r -u 1001 -g root db-migrate-user
USER 1001
ENTRYPOINT ["/usr/local/bin/goose"]
CMD ["--help"]
