//! PC5016 volume-on-system-path: a `VOLUME` at or below `/sys`, `/dev` or `/proc`.

use super::{HygieneFinding, ImageView};
use crate::rules;

const SYSTEM_PATHS: [&str; 3] = ["/sys", "/dev", "/proc"];

/// The system path `volume` is at or below, if any (`/proc/` and `//sys` count too).
fn system_path_of(volume: &str) -> Option<&'static str> {
    let components: Vec<&str> = volume
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let first = format!("/{}", components.first()?);
    SYSTEM_PATHS.into_iter().find(|p| *p == first)
}

pub(super) fn check(image: &ImageView<'_>, out: &mut Vec<HygieneFinding>) {
    for volume in &image.metadata.config.volumes {
        if let Some(system) = system_path_of(volume) {
            out.push(HygieneFinding::config(
                &rules::VOLUME_ON_SYSTEM_PATH,
                format!("the image declares a volume at `{volume}`, on the system path {system}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    fn with_volumes(volumes: &[&str]) -> Vec<String> {
        let mut metadata = clean_metadata();
        metadata.config.volumes = volumes.iter().map(|v| v.to_string()).collect();
        run(check, &metadata, &tree(&[]))
            .into_iter()
            .inspect(|f| assert_eq!(f.rule.code, "PC5016"))
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn volumes_on_system_paths_are_reported() {
        let found = with_volumes(&["/data", "/dev", "/proc/", "//sys/fs/cgroup", "/var/lib/app"]);
        assert_eq!(found.len(), 3);
        assert!(found[0].contains("`/dev`"));
        assert!(found[2].contains("`//sys/fs/cgroup`, on the system path /sys"));
    }

    #[test]
    fn other_volumes_are_fine() {
        assert!(with_volumes(&["/data", "/system", "/device", "/var/proc", "/"]).is_empty());
    }
}
