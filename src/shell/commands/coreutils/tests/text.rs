//! Tests of the text commands.

use super::{check, Node};
