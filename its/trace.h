/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the virtual ITS: one event per command processed (with
 * its name, raw words, result and the result's name: "ok" or the
 * architected error) and one per MSI translation.
 *
 * (checkpatch: OPEN_ENDED_LINE and PARENTHESIS_ALIGNMENT: the layout of
 * every TRACE_EVENT() in the kernel.)
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvm_vgic3_its

#if !defined(__KVM_VGIC3_ITS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define __KVM_VGIC3_ITS_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vgic3_its_cmd,
	TP_PROTO(u64 base, unsigned int nr, const char *name, const u64 *w,
		 int ret, const char *err),
	TP_ARGS(base, nr, name, w, ret, err),

	TP_STRUCT__entry(
		__field(u64, base)
		__field(unsigned int, nr)
		__string(name, name)
		__array(u64, w, 4)
		__field(int, ret)
		__string(err, err)
	),

	TP_fast_assign(
		__entry->base = base;
		__entry->nr = nr;
		__assign_str(name);
		memcpy(__entry->w, w, sizeof(__entry->w));
		__entry->ret = ret;
		__assign_str(err);
	),

	TP_printk("its=%llx %s (0x%02x) %016llx %016llx %016llx %016llx ret=%#x %s",
		  __entry->base, __get_str(name), __entry->nr,
		  __entry->w[0], __entry->w[1], __entry->w[2], __entry->w[3],
		  __entry->ret, __get_str(err))
);

TRACE_EVENT(vgic3_its_translate,
	TP_PROTO(u64 base, u32 devid, u32 event, int ret),
	TP_ARGS(base, devid, event, ret),

	TP_STRUCT__entry(
		__field(u64, base)
		__field(u32, devid)
		__field(u32, event)
		__field(int, ret)
	),

	TP_fast_assign(
		__entry->base = base;
		__entry->devid = devid;
		__entry->event = event;
		__entry->ret = ret;
	),

	TP_printk("its=%llx dev=%u event=%u ret=%d",
		  __entry->base, __entry->devid, __entry->event, __entry->ret)
);

#endif /* __KVM_VGIC3_ITS_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH its
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
