// SPDX-License-Identifier: GPL-2.0
/*
 * migpoke: reads or writes one 64-bit little-endian word of guest RAM in a
 * QEMU migration stream saved to a file (migrate "exec:cat > FILE"), for
 * the corrupted-restore steps of tools/testing/vm/linux-guest-test.sh.
 *
 *   migpoke FILE RAMBASE GPA [HI:LO]          prints the word at GPA, or
 *                                             its bits HI..LO shifted down
 *   migpoke FILE RAMBASE GPA [HI:LO=]VALUE    writes VALUE there (into bits
 *                                             HI..LO only), prints the old
 *
 * RAMBASE is where the RAM block starts in the guest's physical space
 * (0x40000000 on QEMU's virt machine). The stream carries each RAM page as
 * an 8-byte big-endian header, the page's offset in its block ORed with
 * flags (0x08 a full page, 0x20 the same block as the page before; without
 * 0x20 a length byte and the block's name follow), then its 4096 bytes.
 * The last full copy of the page wins, as on load. A page sent as a zero
 * page (flag 0x02) has no bytes to change: that is an error here.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE		4096ULL
#define F_PAGE		0x08ULL
#define F_CONTINUE	0x20ULL
#define BLOCK		"mach-virt.ram"

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Where the data of the last full copy of the page at @off is, or NULL. */
static unsigned char *find_page(unsigned char *m, size_t len, uint64_t off)
{
	size_t blen = strlen(BLOCK);
	unsigned char *found = NULL;
	size_t i;

	for (i = 0; i + 8 + PAGE <= len; i++) {
		uint64_t h;

		if (m[i + 7] != F_PAGE && m[i + 7] != (F_PAGE | F_CONTINUE))
			continue;
		h = be64(m + i);
		if (h == (off | F_PAGE | F_CONTINUE)) {
			found = m + i + 8;
		} else if (h == (off | F_PAGE) && i + 9 + blen + PAGE <= len &&
			   m[i + 8] == blen && !memcmp(m + i + 9, BLOCK, blen)) {
			found = m + i + 9 + blen;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	uint64_t base, gpa, off, old, val = 0, mask = ~0ULL;
	unsigned int hi = 63, lo = 0;
	unsigned char *m, *page;
	bool write = false;
	struct stat st;
	char *arg, *end;
	int fd, i;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s FILE RAMBASE GPA [HI:LO][=VALUE]\n",
			argv[0]);
		return 2;
	}
	base = strtoull(argv[2], NULL, 0);
	gpa = strtoull(argv[3], NULL, 0);
	arg = argc == 5 ? argv[4] : NULL;
	if (arg && strchr(arg, ':')) {
		hi = strtoul(arg, &end, 10);
		lo = strtoul(end + 1, &end, 10);
		if (hi > 63 || lo > hi) {
			fprintf(stderr, "migpoke: bad field %s\n", arg);
			return 2;
		}
		mask = (hi - lo == 63 ? ~0ULL : (1ULL << (hi - lo + 1)) - 1) << lo;
		arg = *end == '=' ? end + 1 : NULL;
	}
	if (arg) {
		write = true;
		val = strtoull(arg, NULL, 0);
	}
	if (gpa < base || gpa % 8) {
		fprintf(stderr, "migpoke: GPA %#" PRIx64 " not an aligned RAM address\n", gpa);
		return 2;
	}
	fd = open(argv[1], write ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	m = mmap(NULL, st.st_size, PROT_READ | (write ? PROT_WRITE : 0),
		 MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	off = (gpa - base) & ~(PAGE - 1);
	page = find_page(m, st.st_size, off);
	if (!page) {
		fprintf(stderr, "migpoke: no full page for GPA %#" PRIx64 " in %s\n",
			gpa, argv[1]);
		return 1;
	}
	page += (gpa - base) % PAGE;
	for (old = 0, i = 7; i >= 0; i--)
		old = old << 8 | page[i];
	if (write) {
		val = (old & ~mask) | ((val << lo) & mask);
		for (i = 0; i < 8; i++)
			page[i] = val >> (8 * i);
		if (msync(m, st.st_size, MS_SYNC)) {
			perror("msync");
			return 1;
		}
	}
	printf("%#" PRIx64 "\n", (old & mask) >> lo);
	return 0;
}
