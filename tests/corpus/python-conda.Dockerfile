FROM continuumio/miniconda3:24.5.0-0

COPY environment.yml /tmp/environment.yml
RUN conda env create -f /tmp/environment.yml && conda clean -afy
SHELL ["conda", "run", "-n", "analysis", "/bin/bash", "-c"]
RUN python -c "import numpy; print(numpy.__version__)"

RUN useradd -m analyst
USER analyst
WORKDIR /home/analyst
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "analysis"]
CMD ["jupyter", "lab", "--ip=0.0.0.0"]
