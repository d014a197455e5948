# syntax=docker/dockerfile:1
FROM debian:12.6-slim

RUN cat > /etc/apt/apt.conf.d/99no-recommends <<EOF
APT::Install-Recommends "false";
EOF
RUN bash <<EOF
apt-get update
apt-get install -y vim
apt-get install -y ssh
EOF
RUN tee /etc/profile.d/path.sh <<EOF >/dev/null
export PATH=/opt/bin:\$PATH
EOF

USER 1000
CMD ["bash", "-l"]
