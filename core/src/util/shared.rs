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
