/*
 * A stand-in ggml backend module for tests on machines without a GPU. It follows ggml's backend module
 * ABI (API version 2: ggml_backend_init returning a registration; optional ggml_backend_score), and its
 * compile-time switches make it fail the way real modules do. The layouts mirror ggml-backend-impl.h;
 * only the entries ggml calls while registering and describing a device are filled in.
 */
#include <stddef.h>

#ifndef FIXTURE_API_VERSION
#define FIXTURE_API_VERSION 2
#endif

#ifndef FIXTURE_DEVICES
#define FIXTURE_DEVICES 1
#endif

struct fixture_reg;
struct fixture_dev;

struct fixture_dev_iface {
    const char * (*get_name)(struct fixture_dev * dev);
    const char * (*get_description)(struct fixture_dev * dev);
    void (*get_memory)(struct fixture_dev * dev, size_t * free, size_t * total);
    int (*get_type)(struct fixture_dev * dev);
    void * unused[11];
};

struct fixture_dev {
    struct fixture_dev_iface iface;
    struct fixture_reg * reg;
    void * context;
};

struct fixture_reg_iface {
    const char * (*get_name)(struct fixture_reg * reg);
    size_t (*get_device_count)(struct fixture_reg * reg);
    struct fixture_dev * (*get_device)(struct fixture_reg * reg, size_t index);
    void * (*get_proc_address)(struct fixture_reg * reg, const char * name);
};

struct fixture_reg {
    int api_version;
    struct fixture_reg_iface iface;
    void * context;
};

#ifdef FIXTURE_NEEDS_LIBRARY
/* Provided by a stub library that the test removes, so the module's DT_NEEDED cannot be met. */
int fixture_stub_function(void);
int fixture_use_stub(void) { return fixture_stub_function(); }
#endif

#ifdef FIXTURE_UNDEFINED_SYMBOL
/* Left undefined at link time: dlopen with RTLD_NOW refuses the module. */
int fixture_symbol_nobody_defines(void);
int fixture_use_undefined(void) { return fixture_symbol_nobody_defines(); }
#endif

static const char * dev_name(struct fixture_dev * dev) { (void)dev; return "FIXTURE0"; }
static const char * dev_description(struct fixture_dev * dev) { (void)dev; return "EdgeLlm fixture GPU"; }
static void dev_memory(struct fixture_dev * dev, size_t * free, size_t * total) { (void)dev; *free = (size_t)6 << 30; *total = (size_t)8 << 30; }
static int dev_type(struct fixture_dev * dev) { (void)dev; return 1; /* GGML_BACKEND_DEVICE_TYPE_GPU */ }

static struct fixture_reg registration;
static struct fixture_dev device = { { dev_name, dev_description, dev_memory, dev_type, { 0 } }, &registration, NULL };

static const char * reg_name(struct fixture_reg * reg) { (void)reg; return "EdgeLlmFixture"; }
static size_t reg_device_count(struct fixture_reg * reg) { (void)reg; return FIXTURE_DEVICES; }
static struct fixture_dev * reg_device(struct fixture_reg * reg, size_t index) { (void)reg; (void)index; return &device; }
static void * reg_proc_address(struct fixture_reg * reg, const char * name) { (void)reg; (void)name; return NULL; }

static struct fixture_reg registration = { FIXTURE_API_VERSION, { reg_name, reg_device_count, reg_device, reg_proc_address }, NULL };

#ifndef FIXTURE_NO_INIT
struct fixture_reg * ggml_backend_init(void) { return &registration; }
#endif

#ifdef FIXTURE_SCORE_ZERO
int ggml_backend_score(void) { return 0; }
#endif
