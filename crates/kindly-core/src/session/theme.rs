//! `Theme`: which part of the practice a step belongs to.

use std::fmt;

/// The four strands the bundled library is built from: Kristin Neff's three
/// components of self-compassion, and Bowlby's secure attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theme {
    Mindfulness,
    CommonHumanity,
    SelfKindness,
    Attachment,
}

impl Theme {
    pub const ALL: [Theme; 4] = [
        Theme::Mindfulness,
        Theme::CommonHumanity,
        Theme::SelfKindness,
        Theme::Attachment,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Theme::Mindfulness => "mindfulness",
            Theme::CommonHumanity => "common-humanity",
            Theme::SelfKindness => "self-kindness",
            Theme::Attachment => "attachment",
        }
    }

    pub fn from_name(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
