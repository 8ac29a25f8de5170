//! One way to spread independent work over the cores: the items in chunks, one thread a chunk,
//! the results in the items' order.

/// `f` of every item of `items`, on every core, in order. A panic in `f` is the caller's.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_on(
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        items,
        f,
    )
}

/// [`map`] on `workers` threads: more than the cores for work that mostly waits (a file
/// synced to disk waits for the disk, not for a core).
pub fn map_on<T: Sync, R: Send>(workers: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = items.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert!(super::map(&[] as &[u8], |b| *b).is_empty());
    }
}
