//! Iterative tree walks. Source nesting is attacker-controlled (a PR can add a file of 100,000
//! open brackets), so nothing here recurses.

use tree_sitter::{Node, TreeCursor};

/// Every node under `root` (itself included) in document order.
pub fn preorder(root: Node<'_>) -> Preorder<'_> {
    Preorder { cursor: root.walk(), done: false }
}

pub struct Preorder<'t> {
    cursor: TreeCursor<'t>,
    done: bool,
}

impl<'t> Iterator for Preorder<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        if self.done {
            return None;
        }
        let node = self.cursor.node();
        if self.cursor.goto_first_child() {
            return Some(node);
        }
        loop {
            if self.cursor.goto_next_sibling() {
                return Some(node);
            }
            // the cursor was created on the root, so going up stops there
            if !self.cursor.goto_parent() {
                self.done = true;
                return Some(node);
            }
        }
    }
}

/// The direct children of `node` (named and anonymous).
pub fn children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    (0..node.child_count()).filter_map(move |i| node.child(i))
}

/// The direct named children of `node`.
pub fn named_children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    (0..node.named_child_count()).filter_map(move |i| node.named_child(i))
}
