//! rpm's legacy database: the Berkeley DB hash file `Packages` (RHEL ≤ 8, CentOS 7, Amazon
//! Linux 2, SLES ≤ 15 SP2…). Keys are header numbers, values the stored headers.
//!
//! Read without libdb. Page 0 is the hash metadata page; bucket `b` lives on page
//! `b + spares[bits(b)]` and continues along `next_pgno`. Each hash page holds an index of
//! 16-bit item offsets at byte 26; items come in key/value pairs and are either inline
//! (`H_KEYDATA`: type byte then data) or on overflow pages (`H_OFFPAGE`: first page and total
//! length; each overflow page carries `hf_offset` bytes after its 26-byte header). Files
//! written on a machine of the other byte order are recognised by their magic.
//!
//! Every page number, offset and length is checked against the file, chains may not revisit a
//! page, and nothing is allocated beyond the file's own size.

use super::Sink;

const HASH_MAGIC: u32 = 0x0006_1561;
const PAGE_HEADER: usize = 26;

/// Page types (`db_page.h`).
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;

/// Item types on hash pages.
const H_KEYDATA: u8 = 1;
const H_DUPLICATE: u8 = 2;
const H_OFFPAGE: u8 = 3;
const H_OFFDUP: u8 = 4;

/// True when `bytes` starts like a Berkeley DB hash database (either byte order).
pub fn is_bdb(bytes: &[u8]) -> bool {
    matches!(bytes.get(12..16), Some(m) if m == HASH_MAGIC.to_le_bytes() || m == HASH_MAGIC.to_be_bytes())
}

struct Db<'a> {
    bytes: &'a [u8],
    big_endian: bool,
    page_size: usize,
    pages: usize,
}

impl<'a> Db<'a> {
    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn page(&self, pgno: u32) -> Result<Page<'a>, String> {
        let index = pgno as usize;
        if index == 0 || index >= self.pages {
            return Err(format!(
                "page {pgno} is outside the file ({} pages): truncated or corrupt",
                self.pages
            ));
        }
        let start = index * self.page_size;
        let page = Page {
            bytes: &self.bytes[start..start + self.page_size],
            big_endian: self.big_endian,
        };
        if page.u32(8) != pgno {
            return Err(format!("page {pgno} says it is page {}", page.u32(8)));
        }
        Ok(page)
    }

    /// The value of an `H_OFFPAGE` item: `len` bytes along the overflow chain from `pgno`.
    fn overflow(&self, mut pgno: u32, len: u32) -> Result<Vec<u8>, String> {
        let len = len as usize;
        if len > self.bytes.len() {
            return Err(format!(
                "overflow item of {len} bytes is larger than the file"
            ));
        }
        let mut out = Vec::with_capacity(len);
        let mut hops = 0;
        while out.len() < len {
            hops += 1;
            if hops > self.pages {
                return Err("overflow chain loops".into());
            }
            let page = self.page(pgno)?;
            if page.kind() != P_OVERFLOW {
                return Err(format!(
                    "page {pgno} is type {}, not an overflow page",
                    page.kind()
                ));
            }
            let on_page = page.u16(22) as usize;
            if PAGE_HEADER + on_page > self.page_size || out.len() + on_page > len {
                return Err(format!("overflow page {pgno} claims {on_page} bytes"));
            }
            out.extend_from_slice(&page.bytes[PAGE_HEADER..PAGE_HEADER + on_page]);
            if out.len() < len {
                if on_page == 0 {
                    return Err(format!("overflow page {pgno} is empty"));
                }
                pgno = page.u32(16);
            }
        }
        Ok(out)
    }
}

#[derive(Clone, Copy)]
struct Page<'a> {
    bytes: &'a [u8],
    big_endian: bool,
}

impl Page<'_> {
    fn u32(&self, at: usize) -> u32 {
        let b = [
            self.bytes[at],
            self.bytes[at + 1],
            self.bytes[at + 2],
            self.bytes[at + 3],
        ];
        if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    }

    fn u16(&self, at: usize) -> u16 {
        let b = [self.bytes[at], self.bytes[at + 1]];
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }

    fn kind(&self) -> u8 {
        self.bytes[25]
    }
}

/// An item on a hash page, borrowed or assembled from overflow pages.
enum Item<'a> {
    Inline(&'a [u8]),
    Overflow(Vec<u8>),
}

impl Item<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Item::Inline(b) => b,
            Item::Overflow(v) => v,
        }
    }
}

fn item<'a>(db: &Db<'a>, page: Page<'a>, offset: usize, len: usize) -> Result<Item<'a>, String> {
    let Some(raw) = page
        .bytes
        .get(offset..offset + len)
        .filter(|r| !r.is_empty())
    else {
        return Err(format!(
            "item at {offset} ({len} bytes) is outside its page"
        ));
    };
    match raw[0] {
        H_KEYDATA => Ok(Item::Inline(&raw[1..])),
        H_OFFPAGE if len >= 12 => {
            let pgno = page.u32(offset + 4);
            let total = page.u32(offset + 8);
            db.overflow(pgno, total).map(Item::Overflow)
        }
        H_DUPLICATE | H_OFFDUP => Err("duplicate keys, which rpm never writes".into()),
        other => Err(format!("item at {offset} has unknown type {other}")),
    }
}

/// Calls `sink` with each stored header. Structural damage to the file is an `Err`; damage to
/// one record goes to the sink and the walk goes on.
pub fn read(bytes: &[u8], sink: &mut Sink<'_>) -> Result<(), String> {
    let Some(magic) = bytes.get(12..16) else {
        return Err("too short for a Berkeley DB file".into());
    };
    let big_endian = if magic == HASH_MAGIC.to_le_bytes() {
        false
    } else if magic == HASH_MAGIC.to_be_bytes() {
        true
    } else {
        return Err("not a Berkeley DB hash database".into());
    };
    let mut db = Db {
        bytes,
        big_endian,
        page_size: 0,
        pages: 0,
    };
    let field = |at| db.u32_at(at).ok_or("metadata page truncated");
    let version = field(16)?;
    let page_size = field(20)? as usize;
    if !(8..=10).contains(&version) {
        return Err(format!("unsupported hash version {version}"));
    }
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("bad page size {page_size}"));
    }
    if bytes.len() < page_size {
        return Err("metadata page truncated".into());
    }
    if bytes[24] != 0 {
        return Err("the database is encrypted".into());
    }
    if bytes[25] != P_HASHMETA {
        return Err(format!("page 0 is type {}, not hash metadata", bytes[25]));
    }
    let max_bucket = field(72)?;
    let mut spares = [0u32; 32];
    for (i, spare) in spares.iter_mut().enumerate() {
        *spare = field(96 + 4 * i)?;
    }
    db.page_size = page_size;
    db.pages = bytes.len() / page_size;
    if max_bucket as usize >= db.pages {
        return Err(format!(
            "{} buckets in a file of {} pages: truncated or corrupt",
            u64::from(max_bucket) + 1,
            db.pages
        ));
    }

    let mut visited = vec![false; db.pages];
    for bucket in 0..=max_bucket {
        let bits = (32 - bucket.leading_zeros()) as usize;
        let mut pgno = bucket.wrapping_add(spares[bits]);
        while pgno != 0 {
            if visited.get(pgno as usize).copied().unwrap_or(false) {
                return Err(format!("bucket {bucket}: page {pgno} is reached twice"));
            }
            let page = db.page(pgno)?;
            visited[pgno as usize] = true;
            if !matches!(page.kind(), P_HASH | P_HASH_UNSORTED) {
                return Err(format!(
                    "bucket {bucket}: page {pgno} is type {}, not a hash page",
                    page.kind()
                ));
            }
            read_page(&db, page, pgno, sink)?;
            pgno = page.u32(16);
        }
    }
    Ok(())
}

fn read_page<'a>(
    db: &Db<'a>,
    page: Page<'a>,
    pgno: u32,
    sink: &mut Sink<'_>,
) -> Result<(), String> {
    let entries = page.u16(20) as usize;
    if PAGE_HEADER + 2 * entries > db.page_size {
        return Err(format!("page {pgno} claims {entries} items"));
    }
    let offset = |i: usize| page.u16(PAGE_HEADER + 2 * i) as usize;
    for pair in 0..entries / 2 {
        let (k, v) = (2 * pair, 2 * pair + 1);
        let key_end = if k == 0 { db.page_size } else { offset(k - 1) };
        let (key_at, value_at) = (offset(k), offset(v));
        if !(value_at < key_at && key_at < key_end && key_end <= db.page_size)
            || value_at < PAGE_HEADER + 2 * entries
        {
            sink(0, Err(format!("page {pgno}: item {k} has bad offsets")));
            continue;
        }
        let key = match item(db, page, key_at, key_end - key_at) {
            Ok(key) => key,
            Err(e) => {
                sink(0, Err(format!("page {pgno}: key {k}: {e}")));
                continue;
            }
        };
        let hnum = match key.bytes().try_into() {
            Ok(b) => {
                if db.big_endian {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                }
            }
            Err(_) => {
                sink(
                    0,
                    Err(format!(
                        "page {pgno}: key {k} is {} bytes, not a header number",
                        key.bytes().len()
                    )),
                );
                continue;
            }
        };
        // Record 0 holds rpm's next free header number, not a header.
        if hnum == 0 {
            continue;
        }
        match item(db, page, value_at, key_at - value_at) {
            Ok(value) => sink(hnum, Ok(value.bytes())),
            Err(e) => sink(hnum, Err(format!("page {pgno}: header {hnum}: {e}"))),
        }
    }
    Ok(())
}
