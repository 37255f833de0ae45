//! Which slice of a chat's loaded messages is in the page. However long the history, at most
//! [`MAX_ROWS`] message rows exist in the DOM: scrolling moves the slice by [`STEP`] rows, loading
//! older or newer pages from the server when it reaches the end of what is loaded.

/// Most message rows in the DOM at once.
pub const MAX_ROWS: usize = 150;
/// Rows added (and, past [`MAX_ROWS`], dropped at the other end) per move.
pub const STEP: usize = 50;

/// Rows `start..end` of the loaded messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
}

impl Window {
    /// The last rows of `len`: where a chat opens when nothing is unread.
    pub fn at_end(len: usize) -> Window {
        Window { start: len.saturating_sub(MAX_ROWS), end: len }
    }

    /// Rows around `index` (the first unread), with some read ones above it for context.
    pub fn around(index: usize, len: usize) -> Window {
        let start = index.saturating_sub(STEP / 2).min(len);
        Window { start, end: (start + MAX_ROWS).min(len) }
    }

    #[cfg(test)]
    fn len(self) -> usize {
        self.end - self.start
    }

    pub fn reaches_end(self, len: usize) -> bool {
        self.end >= len
    }

    /// [`STEP`] rows further up, dropping rows at the bottom beyond [`MAX_ROWS`].
    pub fn up(self) -> Window {
        let start = self.start.saturating_sub(STEP);
        Window { start, end: self.end.min(start + MAX_ROWS) }
    }

    /// [`STEP`] rows further down, dropping rows at the top beyond [`MAX_ROWS`].
    pub fn down(self, len: usize) -> Window {
        let end = (self.end + STEP).min(len);
        Window { start: self.start.max(end.saturating_sub(MAX_ROWS)), end }
    }

    /// The same rows after `count` messages were put before all loaded ones.
    pub fn after_prepending(self, count: usize) -> Window {
        Window { start: self.start + count, end: self.end + count }
    }

    /// After messages were added at the end (`old_len` → `new_len`): a window that showed the end
    /// keeps showing it; one further up stays where it is.
    pub fn after_appending(self, old_len: usize, new_len: usize) -> Window {
        if self.end < old_len {
            return self;
        }
        Window { start: self.start.max(new_len.saturating_sub(MAX_ROWS)), end: new_len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chat_opens_on_its_last_rows() {
        assert_eq!(Window::at_end(10_000), Window { start: 9_850, end: 10_000 });
        assert_eq!(Window::at_end(20), Window { start: 0, end: 20 });
    }

    #[test]
    fn scrolling_never_holds_more_than_max_rows() {
        let mut window = Window::at_end(10_000);
        for _ in 0..300 {
            window = window.up();
            assert!(window.len() <= MAX_ROWS);
        }
        assert_eq!(window, Window { start: 0, end: MAX_ROWS });
        for _ in 0..300 {
            window = window.down(10_000);
            assert!(window.len() <= MAX_ROWS);
        }
        assert_eq!(window, Window::at_end(10_000));
    }

    #[test]
    fn older_pages_keep_the_same_rows_in_view() {
        let window = Window { start: 0, end: 150 }.after_prepending(50);
        assert_eq!(window, Window { start: 50, end: 200 });
        assert_eq!(window.up(), Window { start: 0, end: 150 });
    }

    #[test]
    fn new_messages_follow_only_a_window_at_the_end() {
        assert_eq!(Window::at_end(150).after_appending(150, 151), Window { start: 1, end: 151 });
        let reading_history = Window { start: 10, end: 160 };
        assert_eq!(reading_history.after_appending(400, 401), reading_history);
        assert_eq!(Window::at_end(3).after_appending(3, 4), Window { start: 0, end: 4 });
    }

    #[test]
    fn opening_at_the_first_unread_shows_some_read_rows_above_it() {
        assert_eq!(Window::around(1000, 5000), Window { start: 975, end: 1125 });
        assert_eq!(Window::around(3, 10), Window { start: 0, end: 10 });
    }
}
