FROM almalinux:9.4

RUN dnf -y --nogpgcheck install https://packages.example.net/el9/agent-3.1.0-1.x86_64.rpm
RUN rpm -ivh --nosignature https://packages.example.net/el9/helper-1.0-1.noarch.rpm
RUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/*.repo && dnf clean all

USER 1000
CMD ["agent"]
