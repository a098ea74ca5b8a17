#ifndef HELLO_XEN_ABI_H
#define HELLO_XEN_ABI_H
/*
 * The few pieces of Xen's guest ABI the hello guest uses, from Xen's public headers (xen/include/public/:
 * xen.h, sched.h, event_channel.h, memory.h, hvm/hvm_op.h, hvm/params.h, io/console.h, arch-x86/cpuid.h).
 * Structures use unsigned long where Xen uses xen_ulong_t / xen_pfn_t / guest handles, so one definition
 * matches both the 32-bit (compat) ABI of the PVH build and the 64-bit ABI of the PV build.
 */
#include <stdint.h>

#define XEN_CPUID_SIGNATURE "XenVMMXenVMM"
#define XEN_CPUID_FIRST_LEAF 0x40000000u
#define XEN_CPUID_LAST_LEAF 0x40010000u /* Xen moves its leaves up in 0x100 steps when it also mimics Viridian */

#define HYPERCALL_update_va_mapping 14
#define HYPERCALL_memory_op 12
#define HYPERCALL_sched_op 29
#define HYPERCALL_event_channel_op 32
#define HYPERCALL_hvm_op 34

#define DOMID_SELF 0x7ff0u

#define SCHEDOP_yield 0
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3
#define SHUTDOWN_poweroff 0

#define EVTCHNOP_send 4

#define XENMEM_add_to_physmap 7
#define XENMAPSPACE_shared_info 0

#define HVMOP_get_param 1
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18

#define UVMF_INVLPG 2

struct sched_shutdown {
  unsigned int reason;
};

struct sched_poll {
  uint32_t *ports;
  unsigned int nr_ports;
  uint64_t timeout; /* absolute system time in ns; 0 waits for an event only */
};

struct evtchn_send {
  uint32_t port;
};

struct xen_add_to_physmap {
  uint16_t domid;
  uint16_t size;
  unsigned int space;
  unsigned long idx;
  unsigned long gpfn;
};

struct xen_hvm_param {
  uint16_t domid;
  uint32_t index;
  uint64_t value;
};

/* The start of struct shared_info: vCPU 0's event flags. */
struct vcpu_events {
  uint8_t upcall_pending;
  uint8_t upcall_mask;
};

/* The console page shared with xenconsoled (io/console.h). */
struct xencons_interface {
  char in[1024];
  char out[2048];
  uint32_t in_cons, in_prod;
  uint32_t out_cons, out_prod;
};

/* struct start_info of a 64-bit PV guest (xen.h), up to the command line. */
struct pv_start_info {
  char magic[32];
  unsigned long nr_pages;
  unsigned long shared_info; /* machine address */
  uint32_t flags;
  unsigned long store_mfn;
  uint32_t store_evtchn;
  struct {
    unsigned long mfn;
    uint32_t evtchn;
  } console;
  unsigned long pt_base;
  unsigned long nr_pt_frames;
  unsigned long mfn_list;
  unsigned long mod_start;
  unsigned long mod_len;
  char cmd_line[1024];
};

#endif
