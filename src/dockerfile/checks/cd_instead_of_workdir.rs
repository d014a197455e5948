//! PC4020 cd-instead-of-workdir.

use super::Context;
use crate::dockerfile::shell::basename;
use crate::dockerfile::Span;
use crate::rules::CD_INSTEAD_OF_WORKDIR;

pub(crate) fn check(ctx: &mut Context) {
    let mut spans: Vec<Span> = Vec::new();
    for run in ctx.runs().iter() {
        // One finding per RUN: its first `cd`.
        let first = run.iter().find_map(|script| {
            script.commands.iter().find_map(|command| {
                let word = &command.words[command.program_index()?];
                (basename(&word.text) == "cd").then(|| script.span(word.range.clone()))
            })
        });
        spans.extend(first);
    }
    for span in spans {
        ctx.report(
            &CD_INSTEAD_OF_WORKDIR,
            "`cd` lasts only until the end of this RUN: set the directory with WORKDIR",
            span,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::checks::testing::{findings, positions};
    use crate::rules::CD_INSTEAD_OF_WORKDIR;

    #[test]
    fn flags_the_first_cd_of_each_run() {
        assert_eq!(
            positions(
                &CD_INSTEAD_OF_WORKDIR,
                "FROM a:1\nRUN cd /src && make && cd / && rm -rf /src\nRUN make\n"
            ),
            [(2, 5)]
        );
        assert_eq!(
            positions(
                &CD_INSTEAD_OF_WORKDIR,
                "FROM a:1\nRUN git clone https://x/y.git \\\n && cd y && make\n"
            ),
            [(3, 5)]
        );
        assert_eq!(
            positions(
                &CD_INSTEAD_OF_WORKDIR,
                "FROM a:1\nRUN <<EOF\nset -e\n  cd /opt\nEOF\n"
            ),
            [(4, 3)]
        );
        assert_eq!(
            positions(
                &CD_INSTEAD_OF_WORKDIR,
                "FROM a:1\nONBUILD RUN cd /x && make\n"
            ),
            [(2, 13)]
        );
        assert_eq!(
            positions(
                &CD_INSTEAD_OF_WORKDIR,
                "FROM a:1\nRUN sh -c 'cd /x && make'\n"
            ),
            [(2, 12)]
        );
        let found = findings(&CD_INSTEAD_OF_WORKDIR, "FROM a:1\nRUN cd /x\n");
        assert!(found[0].is_named_by("DL3003") && found[0].is_named_by("DS-0013"));
    }

    #[test]
    fn workdir_and_directory_options_are_fine() {
        for run in [
            "make -C /src install",
            "echo cd /x",
            "git -C /src pull",
            "abcd /x",
        ] {
            let source = format!("FROM a:1\nWORKDIR /src\nRUN {run}\n");
            assert!(
                positions(&CD_INSTEAD_OF_WORKDIR, &source).is_empty(),
                "{run}"
            );
        }
        assert!(positions(&CD_INSTEAD_OF_WORKDIR, "FROM a:1\nONBUILD RUN make\n").is_empty());
    }
}
