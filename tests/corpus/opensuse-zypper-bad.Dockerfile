FROM opensuse/leap:15.6

RUN zypper refresh
RUN zypper install curl tar gzip
RUN zypper in -y python311 python311-pip

CMD ["python3.11"]
