//! Coded values: every closed list of the domain is an enum with a stable code
//! (stored in databases and files) and a Vietnamese label (shown to users).

/// Declares a coded enum: `Variant => ("code", "Nhãn tiếng Việt")`.
/// The order of the variants is the order of the scale where one exists.
#[macro_export]
macro_rules! code_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $v:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The stable code stored in databases and plan files.
            pub const fn code(self) -> &'static str { match self { $($name::$v => $code),+ } }
            /// The Vietnamese label shown to users.
            pub const fn label(self) -> &'static str { match self { $($name::$v => $label),+ } }
            /// Parses a stable code (exact match).
            pub fn from_code(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$v),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.label()) }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_code(s).ok_or_else(|| $crate::codes::UnknownCode {
                    list: stringify!($name),
                    value: s.to_string(),
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.code()) }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A code that is not in its list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mã '{value}' không có trong danh mục {list}")]
pub struct UnknownCode {
    pub list: &'static str,
    pub value: String,
}
