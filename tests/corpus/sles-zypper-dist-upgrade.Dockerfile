FROM registry.suse.com/bci/bci-base:15.6

RUN zypper -n dup && zypper -n dist-upgrade
RUN zypper -n install --no-recommends git-core && zypper cc -a
RUN zypper --non-interactive patch

USER 1000
CMD ["git", "--version"]
