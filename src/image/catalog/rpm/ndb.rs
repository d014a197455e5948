//! rpm's NDB database `Packages.db` (SUSE since SLES 15 SP3 / openSUSE; rpm ≥ 4.15 `ndb`).
//!
//! All numbers are little-endian 32-bit. A 32-byte file header (`RpmP`, version 0, generation,
//! number of slot pages, next package index) shares the first 4096-byte page with the slots;
//! `slot pages × 4096` bytes of 16-byte slots (`Slot`, package index, block offset, block
//! count) follow, a zero block offset marking a free slot. Blocks are 16 bytes. Each blob
//! starts at its slot's block offset with `BlbS`, the package index, a timestamp and the blob
//! length, then the header, zero padding, and a 12-byte tail (adler32 of everything before
//! it, the length again, `BlbE`) that ends the slot's last block.
//!
//! Every slot is checked against the file and its blob's head, tail and checksum before the
//! header inside is handed on.

use super::Sink;

const FILE_MAGIC: &[u8; 4] = b"RpmP";
const SLOT_MAGIC: &[u8; 4] = b"Slot";
const BLOB_HEAD: &[u8; 4] = b"BlbS";
const BLOB_TAIL: &[u8; 4] = b"BlbE";
const PAGE: usize = 4096;
const SLOT: usize = 16;
const BLOCK: usize = 16;
const HEAD: usize = 16;
const TAIL: usize = 12;
/// Slots 0 and 1 hold the file header.
const FIRST_SLOT: usize = 2;

/// True when `bytes` starts like an NDB package database.
pub fn is_ndb(bytes: &[u8]) -> bool {
    bytes.starts_with(FILE_MAGIC)
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Calls `sink` with each stored header. A bad file header or slot table is an `Err`; a bad
/// blob goes to the sink and the walk goes on.
pub fn read(bytes: &[u8], sink: &mut Sink<'_>) -> Result<(), String> {
    if bytes.len() < PAGE || !is_ndb(bytes) {
        return Err("not an rpm NDB database (no RpmP header page)".into());
    }
    let version = le32(bytes, 4);
    if version != 0 {
        return Err(format!("unsupported NDB version {version}"));
    }
    let slot_pages = le32(bytes, 12) as usize;
    if slot_pages == 0 || slot_pages > bytes.len() / PAGE {
        return Err(format!(
            "{slot_pages} slot pages in a file of {} bytes: truncated or corrupt",
            bytes.len()
        ));
    }
    let blocks = bytes.len() / BLOCK;
    let first_data_block = slot_pages * PAGE / BLOCK;
    let mut slots = Vec::new();
    for number in FIRST_SLOT..slot_pages * PAGE / SLOT {
        let at = number * SLOT;
        if &bytes[at..at + 4] != SLOT_MAGIC {
            return Err(format!("slot {number} has no Slot magic"));
        }
        let (index, offset, count) = (
            le32(bytes, at + 4),
            le32(bytes, at + 8),
            le32(bytes, at + 12),
        );
        if offset == 0 {
            continue;
        }
        slots.push((index, offset as usize, count as usize));
    }
    slots.sort_by_key(|&(_, offset, _)| offset);
    for (index, offset, count) in slots {
        match blob(bytes, index, offset, count, first_data_block, blocks) {
            Ok(header) => sink(index, Ok(header)),
            Err(e) => sink(index, Err(format!("package {index}: {e}"))),
        }
    }
    Ok(())
}

fn blob(
    bytes: &[u8],
    index: u32,
    offset: usize,
    count: usize,
    first_data_block: usize,
    blocks: usize,
) -> Result<&[u8], String> {
    if index == 0
        || offset < first_data_block
        || count == 0
        || offset.saturating_add(count) > blocks
    {
        return Err(format!(
            "slot points at blocks {offset}+{count}, outside the data area (blocks {first_data_block}..{blocks})"
        ));
    }
    let area = &bytes[offset * BLOCK..(offset + count) * BLOCK];
    if area.len() < HEAD + TAIL {
        return Err("blob too small".into());
    }
    if &area[..4] != BLOB_HEAD || le32(area, 4) != index {
        return Err("blob head is missing or names another package".into());
    }
    let len = le32(area, 12) as usize;
    if (HEAD + len + TAIL).div_ceil(BLOCK) != count {
        return Err(format!(
            "blob of {len} bytes does not fill its {count} blocks"
        ));
    }
    let tail = area.len() - TAIL;
    if &area[tail + 8..] != BLOB_TAIL || le32(area, tail + 4) as usize != len {
        return Err("blob tail is missing or disagrees with its head".into());
    }
    let checksum = le32(area, tail);
    if adler32(&area[..tail]) != checksum {
        return Err("blob checksum mismatch".into());
    }
    Ok(&area[HEAD..HEAD + len])
}

/// Adler-32 (RFC 1950).
pub(super) fn adler32(bytes: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Writes an NDB file the way rpm's `rpmpkg.c` lays it out, for tests: Debian's rpm is built
/// without the ndb backend, so no tool here can write one.
#[cfg(test)]
pub(crate) fn write(blobs: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let slot_pages = (FIRST_SLOT + blobs.len()).div_ceil(PAGE / SLOT);
    let mut out = vec![0u8; slot_pages * PAGE];
    for slot in 0..slot_pages * PAGE / SLOT {
        out[slot * SLOT..slot * SLOT + 4].copy_from_slice(SLOT_MAGIC);
    }
    let next = blobs.iter().map(|(i, _)| i + 1).max().unwrap_or(1);
    let header = [
        *FILE_MAGIC,
        0u32.to_le_bytes(),
        1u32.to_le_bytes(),
        (slot_pages as u32).to_le_bytes(),
        next.to_le_bytes(),
    ];
    out[..20].copy_from_slice(&header.concat());
    out[20..32].fill(0);
    for (n, (index, blob)) in blobs.iter().enumerate() {
        let count = (HEAD + blob.len() + TAIL).div_ceil(BLOCK);
        let offset = out.len() / BLOCK;
        let mut area = Vec::with_capacity(count * BLOCK);
        area.extend_from_slice(BLOB_HEAD);
        area.extend_from_slice(&index.to_le_bytes());
        area.extend_from_slice(&1_700_000_000u32.to_le_bytes());
        area.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        area.extend_from_slice(blob);
        area.resize(count * BLOCK - TAIL, 0);
        let checksum = adler32(&area);
        area.extend_from_slice(&checksum.to_le_bytes());
        area.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        area.extend_from_slice(BLOB_TAIL);
        out.extend_from_slice(&area);
        let slot = (FIRST_SLOT + n) * SLOT;
        for (i, field) in [*index, offset as u32, count as u32]
            .into_iter()
            .enumerate()
        {
            out[slot + 4 + 4 * i..slot + 8 + 4 * i].copy_from_slice(&field.to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_matches_rfc_1950_vectors() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        let long = vec![0xffu8; 100_000];
        // Reference computed without chunking, in u64.
        let (mut a, mut b) = (1u64, 0u64);
        for &x in &long {
            a = (a + u64::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        assert_eq!(adler32(&long), ((b << 16) | a) as u32);
    }
}
