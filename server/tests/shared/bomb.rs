//! Decompression bombs: PNGs of a few kilobytes that say they are enormous pictures.

use std::io::Write;

/// A black-and-white PNG of `width` × `height` pixels, all black: one bit a pixel, so 16000 × 16000
/// compresses to about 250 KB (as the one outside testing sent) yet decodes to 256 MB. Written row by
/// row, never holding the picture.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    let mut rows = writer.stream_writer().unwrap();
    let row = vec![0u8; width.div_ceil(8) as usize];
    for _ in 0..height {
        rows.write_all(&row).unwrap();
    }
    rows.finish().unwrap();
    writer.finish().unwrap();
    bytes
}
