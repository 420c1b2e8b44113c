//! Which claimed messages may go out side by side (pure). A batch is delivered to
//! several recipients at once, so that one slow conversation with the mail server does
//! not hold up everyone's mail; one recipient's messages still go one after another, in
//! the order they were written, so nobody reads "your job is accepted" before "we
//! received your order".

/// Splits `items` into turns per recipient (compared without regard to case, as mail
/// servers do), each turn in the order given; the turns in order of their first item.
pub fn per_recipient<T>(items: Vec<T>, recipient: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let mut turns: Vec<Vec<T>> = Vec::new();
    for item in items {
        let to = recipient(&item);
        match turns.iter_mut().find(|t| recipient(&t[0]).eq_ignore_ascii_case(to)) {
            Some(turn) => turn.push(item),
            None => turns.push(vec![item]),
        }
    }
    turns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_recipients_messages_stay_in_order_and_together() {
        let batch = vec![
            (1, "oma@example.nl"),
            (2, "buurman@example.nl"),
            (3, "Oma@Example.nl"),
            (4, "zoon@example.nl"),
            (5, "buurman@example.nl"),
            (6, "oma@example.nl"),
        ];
        let turns = per_recipient(batch, |m| m.1);
        let ids: Vec<Vec<i32>> = turns.iter().map(|t| t.iter().map(|m| m.0).collect()).collect();
        assert_eq!(ids, vec![vec![1, 3, 6], vec![2, 5], vec![4]]);
    }

    #[test]
    fn nothing_claimed_is_no_turns() {
        assert!(per_recipient(Vec::<(i32, &str)>::new(), |m| m.1).is_empty());
    }
}
