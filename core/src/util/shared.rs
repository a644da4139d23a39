//! [`Shared`]: a value the detector hands to the sync's snapshots. Natively, where the sync runs on another
//! thread ([`crate::engine`]'s pipelined runs), it is an `Arc`: a snapshot costs a reference count and a write
//! copies only a value a snapshot still holds. In wasm, where nothing runs beside the detector, it is the
//! value itself, with no reference counting and no code for it (the npm package's size budget).

/// See the module documentation.
#[cfg(feature = "parallel")]
pub type Shared<T> = std::sync::Arc<T>;

/// See the module documentation.
#[cfg(not(feature = "parallel"))]
#[derive(Debug, Clone, PartialEq)]
pub struct Shared<T>(T);

#[cfg(not(feature = "parallel"))]
impl<T> Shared<T> {
    /// The value, to share.
    pub fn new(value: T) -> Self {
        Shared(value)
    }
}

#[cfg(not(feature = "parallel"))]
impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The value to change (natively copied first when a snapshot still shares it).
pub fn make_mut<T: Clone>(shared: &mut Shared<T>) -> &mut T {
    #[cfg(feature = "parallel")]
    return std::sync::Arc::make_mut(shared);
    #[cfg(not(feature = "parallel"))]
    &mut shared.0
}

/// A member cluster's name as the controllers key their Works and member objects by. Natively one shared
/// string per cluster ([`Names`]): hundreds of thousands of keys on a large fleet without a string each. In wasm
/// the string itself.
#[cfg(feature = "parallel")]
pub type Name = std::sync::Arc<str>;

/// See the native definition.
#[cfg(not(feature = "parallel"))]
pub type Name = String;

/// The cluster names handed out so far (natively; in wasm each name is a new string).
#[derive(Debug, Default)]
pub struct Names {
    #[cfg(feature = "parallel")]
    known: crate::util::VecMap<std::sync::Arc<str>, ()>,
}

impl Names {
    /// `name` as a key.
    pub fn get(&mut self, name: &str) -> Name {
        #[cfg(feature = "parallel")]
        {
            if let Some((known, ())) = self.known.get_key_value(name) {
                return known.clone();
            }
            let shared: std::sync::Arc<str> = name.into();
            self.known.insert(shared.clone(), ());
            shared
        }
        #[cfg(not(feature = "parallel"))]
        String::from(name)
    }
}

/// A [`Name`] as an owned string (natively a copy; in wasm the same clone as before names were shared).
pub fn owned(name: &Name) -> String {
    #[cfg(feature = "parallel")]
    return String::from(&**name);
    #[cfg(not(feature = "parallel"))]
    name.clone()
}

/// How a map keyed by [`Name`] is searched with a `String` (in wasm the `String` itself, as before).
#[cfg(feature = "parallel")]
pub fn key(name: &String) -> &str {
    name
}

/// See the native definition.
#[cfg(not(feature = "parallel"))]
pub fn key(name: &String) -> &String {
    name
}
