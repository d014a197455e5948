//! End-to-end unit tests of the parser: spans, continuations, comments, directives, heredocs,
//! validation, and a no-panic fuzz loop.

use super::{parse, parse_with, ParseOptions};
use crate::dockerfile::ast::{Dockerfile, Instruction, Keyword, ParseErrorKind, Span};

fn values(instr: &Instruction) -> Vec<&str> {
    instr.args.iter().map(|a| a.value.as_str()).collect()
}

fn at(file: &Dockerfile, span: Span) -> &str {
    &file.source[span.start..span.end]
}

/// (1-based line, 1-based byte column) of a byte offset.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

fn kinds(file: &Dockerfile) -> Vec<&ParseErrorKind> {
    file.diagnostics.iter().map(|d| &d.kind).collect()
}

fn syntax_messages(file: &Dockerfile) -> Vec<&str> {
    file.diagnostics
        .iter()
        .filter(|d| d.kind == ParseErrorKind::Syntax)
        .map(|d| d.message.as_str())
        .collect()
}

fn unknown_flags(file: &Dockerfile) -> Vec<&str> {
    file.diagnostics
        .iter()
        .filter(|d| d.kind == ParseErrorKind::UnknownFlag)
        .map(|d| d.message.as_str())
        .collect()
}

// ---------------------------------------------------------------- lines and spans

#[test]
fn word_on_fourth_physical_line_maps_to_that_line() {
    let src =
        "FROM alpine\nRUN apk add \\\n    curl \\\n    # a comment\n    wget \\\n  && rm -rf /x\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let run = &file.instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 6));
    assert_eq!(
        run.line.text,
        "RUN apk add     curl     wget   && rm -rf /x"
    );
    let offset = run.line.text.find("wget").unwrap();
    let span = run.line.span(offset..offset + 4);
    assert_eq!(at(&file, span), "wget");
    assert_eq!(line_col(src, span.start), (5, 5));
    let rm = run.line.text.find("rm").unwrap();
    assert_eq!(line_col(src, run.line.to_source(rm)), (6, 6));
    assert_eq!(values(run), ["apk add     curl     wget   && rm -rf /x"]);
    assert_eq!(run.args[0].span, Span::new(16, src.len() - 1));
    assert_eq!(at(&file, run.span), &src[12..src.len() - 1]);
    assert_eq!(at(&file, run.keyword_span), "RUN");
}

#[test]
fn spans_of_args_flags_and_json() {
    let src = "  copy --chown=1:1 [\"a b\", \"/c\"]\r\nFrom img As Build\r\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let copy = &file.instructions[0];
    assert_eq!(copy.keyword_text, "copy");
    assert_eq!(at(&file, copy.keyword_span), "copy");
    assert!(copy.json_form);
    assert_eq!(at(&file, copy.flags[0].span), "--chown=1:1");
    assert_eq!(at(&file, copy.args[0].span), "\"a b\"");
    assert_eq!(copy.args[0].value, "a b");
    assert_eq!(at(&file, copy.span), "copy --chown=1:1 [\"a b\", \"/c\"]");
    let from = &file.instructions[1];
    assert_eq!(values(from), ["img", "As", "Build"]);
    assert_eq!(at(&file, from.args[2].span), "Build");
    assert_eq!(from.start_line, 2);
}

#[test]
fn env_triples_have_spans() {
    let file = parse("FROM a\nENV A=1 B=\"x y\"\nLABEL k v w\n");
    let env = &file.instructions[1];
    assert_eq!(values(env), ["A", "1", "=", "B", "\"x y\"", "="]);
    let spans: Vec<&str> = env.args.iter().map(|a| at(&file, a.span)).collect();
    assert_eq!(spans, ["A", "1", "=", "B", "\"x y\"", "="]);
    let label = &file.instructions[2];
    assert_eq!(values(label), ["k", "v w", ""]);
    assert_eq!(at(&file, label.args[1].span), "v w");
}

#[test]
fn backtick_escape_continues_and_keeps_backslashes() {
    let src =
        "# escape=`\nFROM windows\nRUN dir c:\\ `\n    && echo \\done\nCOPY a\\b `\n  c:\\x\\\n";
    let file = parse(src);
    assert_eq!(file.escape, '`');
    assert_eq!(file.directives.len(), 1);
    assert_eq!(
        values(&file.instructions[1]),
        ["dir c:\\     && echo \\done"]
    );
    assert_eq!(values(&file.instructions[2]), ["a\\b", "c:\\x\\"]);
    assert_eq!(file.instructions[2].end_line, 6);
}

#[test]
fn backslash_continuation_rules() {
    let src = "FROM a\nRUN a \\\\\nRUN b\nRUN c\\\n\\\n d\nRUN e \\  \t\nf\n";
    let file = parse(src);
    let runs: Vec<Vec<&str>> = file.instructions[1..].iter().map(values).collect();
    assert_eq!(runs, [vec!["a \\\\"], vec!["b"], vec!["c d"], vec!["e f"]]);
}

#[test]
fn continuation_at_eof_and_lone_continuation_line() {
    let file = parse("FROM a\nRUN x \\");
    assert_eq!(values(&file.instructions[1]), ["x"]);
    assert_eq!(file.instructions[1].end_line, 2);
    let file = parse("FROM a\n\\\n  RUN y\n");
    let run = &file.instructions[1];
    assert_eq!(run.keyword, Keyword::Run);
    assert_eq!((run.start_line, run.end_line), (2, 3));
    assert_eq!(at(&file, run.keyword_span), "RUN");
    assert_eq!(run.line.text, "RUN y");
}

#[test]
fn crlf_and_bom() {
    let src = "\u{feff}# syntax=docker/dockerfile:1\r\nFROM a\r\nRUN b \\\r\n  c\r\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    assert_eq!(file.directives[0].value, "docker/dockerfile:1");
    assert_eq!(
        at(&file, file.directives[0].span),
        "# syntax=docker/dockerfile:1"
    );
    assert_eq!(values(&file.instructions[1]), ["b   c"]);
    assert_eq!(at(&file, file.instructions[1].span), "RUN b \\\r\n  c");
}

#[test]
fn lone_carriage_returns_stay_in_the_line() {
    let file = parse("FROM a\rRUN b\n");
    assert_eq!(file.instructions.len(), 1);
    // `\r` separates arguments like a blank, as in BuildKit's `[\t\v\f\r ]+`.
    assert_eq!(values(&file.instructions[0]), ["a", "RUN", "b"]);
}

// ---------------------------------------------------------------- comments

#[test]
fn comments_inside_continuations_are_dropped_but_recorded() {
    let src = "FROM a\nRUN one \\\n  # inside\n  two\n";
    let file = parse(src);
    assert_eq!(values(&file.instructions[1]), ["one   two"]);
    assert_eq!(file.comments.len(), 1);
    assert_eq!(file.comments[0].text, " inside");
    assert_eq!(at(&file, file.comments[0].span), "# inside");
    assert!(file.instructions[1].prev_comments.is_empty());
}

#[test]
fn prev_comments_are_the_block_directly_above() {
    let src = "# syntax=x\n# first\n\n# doc one\n# doc two\nFROM a AS b\n# reset\n#\n# after reset\nRUN x\nRUN y\n";
    let file = parse(src);
    assert_eq!(file.directives.len(), 1);
    let texts = |i: usize| -> Vec<&str> {
        file.instructions[i]
            .prev_comments
            .iter()
            .map(|c| c.text.as_str())
            .collect()
    };
    assert_eq!(texts(0), [" doc one", " doc two"]);
    assert_eq!(texts(1), [" after reset"]);
    assert!(texts(2).is_empty());
    assert_eq!(file.comments.len(), 6);
}

#[test]
fn empty_continuation_lines_are_reported_on_the_line() {
    let src = "FROM a\nRUN a \\\n\n   \t\n  b\n";
    let file = parse(src);
    assert_eq!(values(&file.instructions[1]), ["a   b"]);
    let empties: Vec<Span> = file
        .diagnostics
        .iter()
        .filter(|d| d.kind == ParseErrorKind::EmptyContinuation)
        .map(|d| d.span)
        .collect();
    assert_eq!(empties, [Span::new(15, 15), Span::new(16, 20)]);
    assert_eq!(file.instructions[1].end_line, 5);
    assert_eq!(file.diagnostics.len(), 2);
}

// ---------------------------------------------------------------- directives

#[test]
fn directives_only_at_the_top() {
    let file = parse("# Escape = `\n# CHECK=skip=all\n# escape=\\\nFROM a\n");
    assert_eq!(
        syntax_messages(&file),
        ["only one escape parser directive can be used"]
    );
    assert_eq!(file.escape, '`');
    let names: Vec<_> = file.directives.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["escape", "check"]);
    assert_eq!(file.directives[1].value, "skip=all");

    let file = parse("# comment\n# escape=`\nFROM a\n");
    assert_eq!(file.escape, '\\');
    assert!(file.directives.is_empty());
    assert_eq!(file.comments.len(), 2);

    let file = parse("\n# escape=`\nFROM a\n");
    assert_eq!(file.escape, '\\');

    let file = parse("# foo=bar\n# escape=`\nFROM a\n");
    assert_eq!(file.escape, '\\');
}

#[test]
fn bad_escape_value_is_a_syntax_error() {
    let file = parse("# escape=x\nFROM a\n");
    assert_eq!(file.escape, '\\');
    assert_eq!(file.diagnostics.len(), 1);
    assert_eq!(file.diagnostics[0].kind, ParseErrorKind::Syntax);
    assert_eq!(file.diagnostics[0].span, Span::new(0, 10));
}

// ---------------------------------------------------------------- parser errors

#[test]
fn parser_level_errors() {
    let file = parse("");
    assert_eq!(syntax_messages(&file), ["file with no instructions"]);
    let file = parse("# only\n\n");
    assert_eq!(syntax_messages(&file), ["file with no instructions"]);

    let file = parse("FROM a\nENV PATH\nRUN ok\n");
    assert_eq!(syntax_messages(&file), ["ENV must have two arguments"]);
    assert_eq!(at(&file, file.diagnostics[0].span), "ENV PATH");
    assert_eq!(file.instructions.len(), 3);

    let src = "FROM a\nCMD [\"a\", 1]\nENTRYPOINT [\"b\", {\"x\": 2}]\n";
    let file = parse(src);
    assert_eq!(file.diagnostics.len(), 2);
    assert_eq!(at(&file, file.diagnostics[0].span), "1");
    assert!(file.instructions[1].json_form);
    assert_eq!(values(&file.instructions[1]), ["a"]);

    let file = parse("FROM a\nENV a=1 b c=2\n");
    assert_eq!(file.diagnostics.len(), 1);
    assert_eq!(at(&file, file.diagnostics[0].span), "b");
}

#[test]
fn over_long_lines_are_syntax_errors() {
    let long = format!("FROM a\nRUN {}\nRUN b\n", "x".repeat(70_000));
    let file = parse(&long);
    assert_eq!(syntax_messages(&file).len(), 1);
    assert_eq!(file.instructions.len(), 3);
    assert_eq!(file.diagnostics[0].span.start, 7);
}

#[test]
fn invalid_json_falls_back_to_shell_form() {
    let file = parse("FROM a\nCMD ['a']\nCOPY [\"a\" b\nRUN [\"a\"] && b\n");
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    assert_eq!(values(&file.instructions[1]), ["['a']"]);
    assert!(!file.instructions[1].json_form);
    assert_eq!(values(&file.instructions[2]), ["[\"a\"", "b"]);
    assert_eq!(values(&file.instructions[3]), ["[\"a\"] && b"]);
}

// ---------------------------------------------------------------- heredocs

#[test]
fn run_heredoc_with_spans() {
    let src = "FROM a\nRUN <<EOF\necho hi\n# not a comment\nFROM x\nEOF\nRUN after\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    assert_eq!(file.instructions.len(), 3);
    assert!(file.comments.is_empty());
    let run = &file.instructions[1];
    assert_eq!((run.start_line, run.end_line), (2, 6));
    assert_eq!(values(run), ["<<EOF"]);
    let doc = &run.heredocs[0];
    assert_eq!(doc.name, "EOF");
    assert!(!doc.quoted && !doc.strip_tabs);
    assert_eq!(doc.fd, None);
    assert_eq!(doc.content, "echo hi\n# not a comment\nFROM x\n");
    assert_eq!(at(&file, doc.opener_span), "<<EOF");
    assert_eq!(at(&file, doc.body_span), "echo hi\n# not a comment\nFROM x");
    assert_eq!(at(&file, doc.terminator_span), "EOF");
    assert_eq!(
        at(&file, run.span),
        &src[7..src.find("\nRUN after").unwrap()]
    );
}

#[test]
fn several_heredocs_read_in_order() {
    let src = "FROM a\nCOPY <<one <<'two' /dest/\n1\none\n2\ntwo\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let copy = &file.instructions[1];
    assert_eq!(values(copy), ["<<one", "<<'two'", "/dest/"]);
    let docs: Vec<(&str, &str, bool)> = copy
        .heredocs
        .iter()
        .map(|d| (d.name.as_str(), d.content.as_str(), d.quoted))
        .collect();
    assert_eq!(docs, [("one", "1\n", false), ("two", "2\n", true)]);
    assert_eq!(copy.end_line, 6);
}

#[test]
fn chomped_heredoc_strips_tabs() {
    let src = "FROM a\nRUN <<-EOT bash\n\t\techo a\n\t  b\n\tEOT\n";
    let file = parse(src);
    let doc = &file.instructions[1].heredocs[0];
    assert!(doc.strip_tabs);
    assert_eq!(doc.content, "echo a\n  b\n");
    assert_eq!(at(&file, doc.terminator_span), "\tEOT");
    // Without `-` the indented terminator does not count.
    let file = parse("FROM a\nRUN <<EOT\n\tEOT\nEOT\n");
    assert_eq!(file.instructions[1].heredocs[0].content, "\tEOT\n");
}

#[test]
fn heredoc_variants() {
    let src = "FROM a\nRUN 3<<\"A\" cat && python3 <<E'O'F\nx\nA\ny\nEOF\n";
    let file = parse(src);
    let docs = &file.instructions[1].heredocs;
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0].name.as_str(), docs[0].fd, docs[0].quoted),
        ("A", Some(3), true)
    );
    assert_eq!((docs[1].name.as_str(), docs[1].quoted), ("EOF", true));
    assert_eq!(docs[1].content, "y\n");
    // Empty body.
    let file = parse("FROM a\nRUN <<EOF\nEOF\n");
    let doc = &file.instructions[1].heredocs[0];
    assert_eq!(doc.content, "");
    assert_eq!(doc.body_span, Span::new(17, 17));
}

#[test]
fn heredoc_after_continuation_and_crlf() {
    let src = "FROM a\r\nRUN apt-get update && \\\r\n  cat <<EOF > /x\r\nline\r\nEOF\r\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let run = &file.instructions[1];
    assert_eq!(run.heredocs[0].content, "line\r\n");
    assert_eq!(line_col(src, run.heredocs[0].opener_span.start), (3, 7));
    assert_eq!(run.end_line, 5);
}

#[test]
fn where_heredocs_are_not_read() {
    // JSON form, other instructions, and quoted `<<` open no heredoc.
    let src = "FROM a\nRUN [\"cat\", \"<<EOF\"]\nUSER <<EOF\nRUN echo '<<EOF'\nRUN cat << EOF\n";
    let file = parse(src);
    assert_eq!(file.instructions.len(), 5);
    assert!(file.instructions.iter().all(|i| i.heredocs.is_empty()));
}

#[test]
fn onbuild_heredoc() {
    let src = "FROM a\nONBUILD RUN <<EOF\necho\nEOF\nRUN z\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
    let onbuild = &file.instructions[1];
    let inner = onbuild.effective();
    assert_eq!(inner.keyword, Keyword::Run);
    assert_eq!(inner.heredocs[0].content, "echo\n");
    assert_eq!(onbuild.heredocs.len(), 1);
    assert_eq!((inner.start_line, inner.end_line), (2, 4));
    assert_eq!(at(&file, inner.keyword_span), "RUN");
    assert_eq!(file.instructions.len(), 3);
}

#[test]
fn unterminated_heredoc() {
    let file = parse("FROM a\nRUN <<EOF\necho\n");
    assert_eq!(syntax_messages(&file), ["unterminated heredoc"]);
    let run = &file.instructions[1];
    assert_eq!(at(&file, file.diagnostics[0].span), "<<EOF");
    assert_eq!(run.heredocs[0].content, "echo\n");
    assert_eq!(run.end_line, 3);
}

// ---------------------------------------------------------------- validation

#[test]
fn unknown_instruction_with_suggestion() {
    let file = parse("FROM a\nRUNN echo\ncopy2 a b\nsomething\n");
    let run = &file.instructions[1];
    assert_eq!(run.keyword, Keyword::Unknown);
    assert_eq!(values(run), [""]);
    let suggestions: Vec<_> = file
        .diagnostics
        .iter()
        .map(|d| match &d.kind {
            ParseErrorKind::UnknownInstruction { suggestion } => suggestion.as_deref(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(suggestions, [Some("RUN"), Some("copy"), None]);
    assert_eq!(at(&file, file.diagnostics[0].span), "RUNN");
    assert!(file.diagnostics[0].message.contains("did you mean RUN?"));
}

#[test]
fn unknown_flags_name_the_instruction() {
    let src = "FROM --platform=linux/amd64 a\nCOPY --form=x a b\nRUN --mount=type=cache,target=/c --netwrok=none x\nWORKDIR --x /a\n";
    let file = parse(src);
    let flags = unknown_flags(&file);
    assert_eq!(flags.len(), 3, "{flags:?}");
    assert!(flags[0].contains("unknown flag --form for COPY (did you mean --from?)"));
    assert!(flags[0].contains("--chown"));
    assert!(flags[1].contains("--netwrok") && flags[1].contains("RUN accepts --mount"));
    assert!(flags[2].contains("WORKDIR does not accept any flag"));
    let spans: Vec<&str> = file.diagnostics.iter().map(|d| at(&file, d.span)).collect();
    assert_eq!(spans, ["--form=x", "--netwrok=none", "--x"]);
    assert_eq!(file.instructions.len(), 4);
}

#[test]
fn flag_values_are_checked() {
    let src = "FROM a\n\
        COPY --link=maybe --from a b\n\
        COPY --from=a --from=b x y\n\
        ADD --link --keep-git-dir=false --checksum=sha256:x --unpack=true a b\n\
        RUN --network=bridge --security=insecure x\n\
        RUN --mount=type=secret,id=a,target=/x --mount=type=cahce x\n\
        HEALTHCHECK --interval=10us --retries=-1 --timeout=5s CMD x\n\
        HEALTHCHECK --interval=oops NONE\n";
    let file = parse(src);
    let flags = unknown_flags(&file);
    let expected = [
        "expecting boolean value for flag link, not: maybe",
        "missing a value on flag: from",
        "duplicate flag specified: --from",
        "unsupported network mode \"bridge\"",
        "unsupported mount type \"cahce\" (did you mean cache?)",
        "Interval \"interval\" cannot be less than 1ms",
        "--retries cannot be negative (-1)",
    ];
    assert_eq!(flags.len(), expected.len(), "{flags:?}");
    for (got, want) in flags.iter().zip(expected) {
        assert!(got.contains(want), "{got:?} lacks {want:?}");
    }
}

#[test]
fn argument_counts() {
    let src = "FROM\nFROM a b\nFROM a AS 1x\nCOPY a\nCOPY <<EOF\nEOF\nADD a <<EOF\nEOF\nWORKDIR\nUSER a\nEXPOSE\nSHELL sh -c\nSHELL []\nARG\nARG =x\nENV\nVOLUME [\"\"]\nONBUILD\nONBUILD ONBUILD RUN x\nONBUILD FROM a\nHEALTHCHECK NONE x\nHEALTHCHECK CMD\nSTOPSIGNAL\nMAINTAINER\nLABEL\n";
    let file = parse(src);
    let messages = syntax_messages(&file);
    let expected = [
        "FROM requires either one or three arguments",
        "FROM requires either one or three arguments",
        "invalid name for build stage: \"1x\"",
        "COPY requires at least two arguments, but only one was provided",
        "COPY requires at least two arguments, but only one was provided",
        "ADD cannot accept a heredoc as a destination",
        "WORKDIR requires exactly one argument",
        "EXPOSE requires at least one argument",
        "SHELL requires the arguments to be in JSON form",
        "SHELL requires at least one argument",
        "ARG requires at least one argument",
        "ARG names can not be blank",
        "ENV requires at least one argument",
        "VOLUME specified can not be an empty string",
        "ONBUILD requires at least one argument",
        "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
        "FROM isn't allowed as an ONBUILD trigger",
        "HEALTHCHECK NONE takes no arguments",
        "Missing command after HEALTHCHECK CMD",
        "STOPSIGNAL requires exactly one argument",
        "MAINTAINER requires exactly one argument",
        "LABEL requires at least one argument",
    ];
    assert_eq!(messages.len(), expected.len(), "{messages:#?}");
    for (got, want) in messages.iter().zip(expected) {
        assert!(got.contains(want), "{got:?} lacks {want:?}");
    }
    // Every instruction stays in the tree.
    assert_eq!(file.instructions.len(), 23);
}

#[test]
fn valid_files_have_no_diagnostics() {
    let src = "# syntax=docker/dockerfile:1.7\n\
        ARG BASE=alpine:3.20\n\
        FROM --platform=$BUILDPLATFORM ${BASE} AS build\n\
        RUN --mount=type=cache,target=/root/.cache,sharing=locked \\\n    --mount=type=secret,id=tok,required=true \\\n    --network=none make\n\
        COPY --from=build --chown=1:1 --chmod=0755 --link --parents --exclude=*.md . /app/\n\
        ADD --checksum=sha256:abc --keep-git-dir=true https://x/y.git /src\n\
        HEALTHCHECK --interval=30s --timeout=3s --start-period=1m --start-interval=2s --retries=3 CMD curl -f http://localhost/\n\
        ENV A=1 B=2\n\
        LABEL org.opencontainers.image.title=x\n\
        EXPOSE 80/tcp\n\
        VOLUME /data\n\
        USER 1000:1000\n\
        WORKDIR /app\n\
        STOPSIGNAL SIGTERM\n\
        SHELL [\"/bin/sh\", \"-c\"]\n\
        ONBUILD COPY . /src\n\
        HEALTHCHECK NONE\n\
        ENTRYPOINT [\"/app\"]\n\
        CMD []\n";
    let file = parse(src);
    assert!(file.diagnostics.is_empty(), "{:#?}", file.diagnostics);
    assert_eq!(file.instructions.len(), 18);
}

#[test]
fn validation_can_be_turned_off() {
    let file = parse_with("FOO bar\nCOPY --x a\n", ParseOptions { validate: false });
    assert!(file.diagnostics.is_empty());
    assert_eq!(file.instructions.len(), 2);
    assert_eq!(kinds(&parse("FOO bar\n")).len(), 1);
}

// ---------------------------------------------------------------- robustness

/// Spans must stay inside the source, on character boundaries.
fn assert_spans_sane(file: &Dockerfile) {
    let src = &file.source;
    let check = |span: Span, what: &str| {
        assert!(
            span.start <= span.end && span.end <= src.len(),
            "{what} {span:?}"
        );
        assert!(
            src.is_char_boundary(span.start) && src.is_char_boundary(span.end),
            "{what} {span:?}"
        );
    };
    for d in &file.diagnostics {
        check(d.span, "diagnostic");
    }
    for c in &file.comments {
        check(c.span, "comment");
    }
    let mut stack: Vec<&Instruction> = file.instructions.iter().collect();
    while let Some(i) = stack.pop() {
        assert!(i.start_line >= 1 && i.start_line <= i.end_line);
        check(i.span, "instruction");
        check(i.keyword_span, "keyword");
        for f in &i.flags {
            check(f.span, "flag");
        }
        for a in &i.args {
            check(a.span, "arg");
            assert!(a.logical.end <= i.line.text.len());
        }
        for h in &i.heredocs {
            check(h.opener_span, "opener");
            check(h.body_span, "body");
            check(h.terminator_span, "terminator");
        }
        let _ = i.rest();
        stack.extend(i.onbuild.as_deref());
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    let inputs = [
        "\0".to_string(),
        "\r".to_string(),
        "\r\r\r\n\r".to_string(),
        "\\".to_string(),
        "`".to_string(),
        "# escape=`\n`".to_string(),
        "\u{feff}".to_string(),
        "\u{feff}\\\n".to_string(),
        "RUN \"unbalanced 'quotes".to_string(),
        "ENV a=\"b\\".to_string(),
        "ENV a='\\".to_string(),
        "COPY --x=\"\\".to_string(),
        "RUN <<".to_string(),
        "RUN <<EOF".to_string(),
        "RUN <<-".to_string(),
        "RUN <<${a:-".to_string(),
        "RUN <<\"\" x".to_string(),
        "RUN <<'' <<EOF\n\nEOF\n".to_string(),
        "ONBUILD ONBUILD ONBUILD RUN <<A\nA".to_string(),
        "ONBUILD".to_string(),
        "HEALTHCHECK\u{a0}CMD".to_string(),
        "RUN --mount=\"".to_string(),
        "RUN --mount=type=cache,\"a\"b".to_string(),
        "CMD [\"\\ud800\"]".to_string(),
        "CMD [\"\\u".to_string(),
        "FROM é\u{85}x\u{2028}y".to_string(),
        "\\\n\\\n\\".to_string(),
        format!("RUN {}", "${a:-".repeat(5_000)) + " <<x",
        format!("CMD {}", "[".repeat(50_000)),
        format!("RUN {}\\", "é".repeat(40_000)),
        "x".repeat(200_000),
        format!("FROM a\n{}", "\\\n".repeat(10_000)),
    ];
    for input in &inputs {
        let file = parse(input);
        assert_spans_sane(&file);
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_random_bytes_and_lines() {
    const PIECES: [&str; 40] = [
        "FROM",
        "RUN",
        "COPY",
        "ADD",
        "ENV",
        "ARG",
        "LABEL",
        "ONBUILD",
        "HEALTHCHECK",
        "CMD",
        "SHELL",
        "EXPOSE",
        "# escape=`",
        "# syntax=x",
        "#",
        " ",
        "\t",
        "\\",
        "`",
        "\n",
        "\r\n",
        "\r",
        "<<EOF",
        "<<-\"EOF\"",
        "EOF",
        "\tEOF",
        "[\"a\", 1]",
        "[",
        "]",
        "\"",
        "'",
        "=",
        "--mount=type=cache,target=/x",
        "--link",
        "--",
        "$",
        "${x:-y}",
        "é",
        "\u{feff}",
        "\0",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3_000 {
        let input = if round % 3 == 0 {
            let bytes: Vec<u8> = (0..rng.below(120)).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..rng.below(60))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect::<Vec<_>>()
                .join(if round % 2 == 0 { " " } else { "" })
        };
        let file = parse(&input);
        assert_spans_sane(&file);
    }
}

#[test]
fn rest_starts_after_flags_and_the_double_dash() {
    let df = parse("FROM a\nCOPY --chown=1 -- foo /tmp/\nRUN --network=none  echo hi  \n");
    assert_eq!(df.instructions[1].rest(), "foo /tmp/");
    assert_eq!(df.instructions[2].rest(), "echo hi");
}
