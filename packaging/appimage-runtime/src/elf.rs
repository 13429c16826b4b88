//! Where this ELF file ends and the image after it begins: the end of its section header table,
//! which linkers put last (as the AppImage runtime reckons it).

use std::io::Read as _;
use std::path::Path;

/// The offset of the first byte after the ELF at the head of `file`.
pub fn end_of_elf(file: &Path) -> Result<u64, String> {
    let mut header = [0_u8; 64];
    std::fs::File::open(file)
        .and_then(|mut opened| opened.read_exact(&mut header))
        .map_err(|error| format!("This AppImage cannot read its own file ({error})."))?;
    end_in_header(&header)
        .ok_or_else(|| "This AppImage's own file is not an ELF it can read.".to_owned())
}

/// The end of the section header table an ELF header (its first 64 bytes) describes.
pub fn end_in_header(header: &[u8; 64]) -> Option<u64> {
    if header[..4] != *b"\x7fELF" {
        return None;
    }
    let little = match header[5] {
        1 => true,
        2 => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let bytes = [header[at], header[at + 1]];
        u64::from(if little {
            u16::from_le_bytes(bytes)
        } else {
            u16::from_be_bytes(bytes)
        })
    };
    let u32_at = |at: usize| {
        let bytes = [header[at], header[at + 1], header[at + 2], header[at + 3]];
        u64::from(if little {
            u32::from_le_bytes(bytes)
        } else {
            u32::from_be_bytes(bytes)
        })
    };
    let u64_at = |at: usize| {
        let mut bytes = [0_u8; 8];
        bytes.copy_from_slice(&header[at..at + 8]);
        if little {
            u64::from_le_bytes(bytes)
        } else {
            u64::from_be_bytes(bytes)
        }
    };
    let (table, entry_size, entries) = match header[4] {
        1 => (u32_at(0x20), u16_at(0x2E), u16_at(0x30)),
        2 => (u64_at(0x28), u16_at(0x3A), u16_at(0x3C)),
        _ => return None,
    };
    table.checked_add(entry_size.checked_mul(entries)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_program_ends_where_its_section_headers_end() {
        let me = std::env::current_exe().unwrap();
        let end = end_of_elf(&me).unwrap();
        // Nothing follows an ordinary program's section headers.
        assert_eq!(end, std::fs::metadata(&me).unwrap().len());
    }

    #[test]
    fn what_is_not_an_elf_is_refused() {
        let mut header = [0_u8; 64];
        assert_eq!(end_in_header(&header), None);
        header[..4].copy_from_slice(b"\x7fELF");
        header[4] = 2;
        header[5] = 3;
        assert_eq!(end_in_header(&header), None, "no such byte order");
        header[5] = 1;
        // A table said to lie at the very end of the address space does not wrap round.
        header[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes());
        header[0x3A] = 64;
        header[0x3C] = 2;
        assert_eq!(end_in_header(&header), None);
    }
}
