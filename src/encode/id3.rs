//! An ID3v2.4 tag for MP3: title, artist, album, comment, credits, and
//! chapters as CHAP frames under one ordered, top-level CTOC (the ID3v2
//! Chapter Frame Addendum). LAME's own tag writer knows no chapters.

use super::Tags;

/// The whole tag, header included, to put before the first MP3 frame.
pub(super) fn tag(tags: &Tags) -> Vec<u8> {
    let mut frames = Vec::new();
    frames.extend(text_frame(b"TIT2", &tags.title));
    frames.extend(text_frame(b"TPE1", &tags.artist));
    frames.extend(text_frame(b"TALB", &tags.album));
    if let Some(c) = &tags.comment {
        let mut body = vec![3];
        body.extend_from_slice(b"eng\0");
        body.extend_from_slice(c.as_bytes());
        frames.extend(frame(b"COMM", &body));
    }
    if let Some(c) = &tags.credits {
        let mut body = vec![3];
        body.extend_from_slice(b"CREDITS\0");
        body.extend_from_slice(c.as_bytes());
        frames.extend(frame(b"TXXX", &body));
    }
    if !tags.chapters.is_empty() {
        let ids: Vec<String> = (0..tags.chapters.len())
            .map(|i| format!("chp{i}"))
            .collect();
        let mut toc = b"toc\0".to_vec();
        // Top-level and ordered.
        toc.push(0b11);
        toc.push(ids.len().min(255) as u8);
        for id in ids.iter().take(255) {
            toc.extend_from_slice(id.as_bytes());
            toc.push(0);
        }
        frames.extend(frame(b"CTOC", &toc));
        let end_ms = tags.length.as_millis() as u32;
        for (i, ch) in tags.chapters.iter().enumerate() {
            let start = ch.start.as_millis() as u32;
            let end = tags
                .chapters
                .get(i + 1)
                .map_or(end_ms, |n| n.start.as_millis() as u32);
            let mut body = ids[i].as_bytes().to_vec();
            body.push(0);
            body.extend_from_slice(&start.to_be_bytes());
            body.extend_from_slice(&end.to_be_bytes());
            // No byte offsets: players use the times.
            body.extend_from_slice(&[0xff; 8]);
            body.extend(text_frame(b"TIT2", &ch.name));
            frames.extend(frame(b"CHAP", &body));
        }
    }
    let mut out = b"ID3\x04\x00\x00".to_vec();
    out.extend_from_slice(&syncsafe(frames.len() as u32));
    out.extend(frames);
    out
}

/// A text frame in UTF-8 (encoding 3, new in v2.4).
fn text_frame(id: &[u8; 4], text: &str) -> Vec<u8> {
    let mut body = vec![3];
    body.extend_from_slice(text.replace('\0', " ").as_bytes());
    frame(id, &body)
}

fn frame(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut f = id.to_vec();
    f.extend_from_slice(&syncsafe(body.len() as u32));
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(body);
    f
}

/// v2.4 sizes: 28 bits, seven to a byte, so no size byte looks like sync.
fn syncsafe(n: u32) -> [u8; 4] {
    [
        (n >> 21 & 0x7f) as u8,
        (n >> 14 & 0x7f) as u8,
        (n >> 7 & 0x7f) as u8,
        (n & 0x7f) as u8,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncsafe_sizes() {
        assert_eq!(syncsafe(0x7f), [0, 0, 0, 0x7f]);
        assert_eq!(syncsafe(0x80), [0, 0, 1, 0]);
        assert_eq!(syncsafe(257), [0, 0, 2, 1]);
    }

    #[test]
    fn tag_header_counts_its_frames() {
        let t = tag(&Tags {
            title: "Hi".into(),
            ..Tags::default()
        });
        assert_eq!(&t[..5], b"ID3\x04\x00");
        let size = t[6..10]
            .iter()
            .fold(0usize, |a, &b| a << 7 | usize::from(b));
        assert_eq!(size, t.len() - 10);
        assert_eq!(&t[10..14], b"TIT2");
    }
}
