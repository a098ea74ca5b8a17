#ifndef HELLO_HYPERCALL_H
#define HELLO_HYPERCALL_H
/*
 * Hypercalls through the hypercall page that Xen fills in (PVH: when the guest writes its address to the
 * MSR named by CPUID; PV: at build time, where the ELF note XEN_ELFNOTE_HYPERCALL_PAGE points). Entry N sits
 * at offset 32 * N. Arguments go in ebx, ecx, edx (32-bit) or rdi, rsi, rdx (64-bit); the result in eax/rax.
 */
extern char hypercall_page[4096];

static inline long hypercall3(unsigned int op, unsigned long a1, unsigned long a2, unsigned long a3) {
  long result;
#ifdef __x86_64__
  register unsigned long r10 __asm__("r10");
  register unsigned long r8 __asm__("r8");
  __asm__ volatile("call *%%rax"
                   : "=a"(result), "+D"(a1), "+S"(a2), "+d"(a3), "=r"(r10), "=r"(r8)
                   : "0"(hypercall_page + op * 32)
                   : "memory");
#else
  unsigned long esi, edi;
  __asm__ volatile("call *%%eax"
                   : "=a"(result), "+b"(a1), "+c"(a2), "+d"(a3), "=S"(esi), "=D"(edi)
                   : "0"(hypercall_page + op * 32)
                   : "memory");
#endif
  return result;
}

static inline long hypercall2(unsigned int op, unsigned long a1, unsigned long a2) {
  return hypercall3(op, a1, a2, 0);
}

#endif
