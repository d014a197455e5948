FROM fedora:40

RUN dnf -y install --setopt=install_weak_deps=False \
        python3-3.12.3-2.fc40 \
        python3-pip-23.3.2-2.fc40 \
    && dnf clean all \
    && rm -rf /var/cache/libdnf5

RUN useradd --uid 1500 --create-home runner
USER runner
WORKDIR /home/runner
HEALTHCHECK NONE
CMD ["python3", "--version"]
