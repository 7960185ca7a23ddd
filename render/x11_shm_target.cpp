#include "render/x11_shm_target.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <dlfcn.h>
#include <sys/ipc.h>
#include <sys/shm.h>

namespace fieldscope {

namespace {
// GLFW's X11 handles, looked up at run time: a GLFW built for Wayland only has no such functions,
// and then this target is simply not used.
Display* glfwDisplay() {
  using Fn = Display* (*)();
  auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "glfwGetX11Display"));
  return fn ? fn() : nullptr;
}
::Window glfwX11Window(GLFWwindow* w) {
  using Fn = ::Window (*)(GLFWwindow*);
  auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "glfwGetX11Window"));
  return fn ? fn(w) : 0;
}

// XShmAttach fails with an X error (BadAccess) when the server cannot map the segment, e.g. over
// the network; Xlib's default handler would end the process. Only ever used on the UI thread.
bool g_xError = false;
int trapError(Display*, XErrorEvent*) {
  g_xError = true;
  return 0;
}
}  // namespace

struct X11ShmTarget::State {
  Display* dpy = nullptr;
  ::Window window = 0;
  GC gc = nullptr;
  XImage* image = nullptr;
  XShmSegmentInfo shm{};
  bool attached = false;
  bool inFlight = false;  // a put() the server may still be reading

  ~State() {
    if (attached) {
      XShmDetach(dpy, &shm);
      XSync(dpy, False);
    }
    if (image) XDestroyImage(image);  // an XShm image: frees the struct, not the segment
    if (shm.shmaddr && shm.shmaddr != reinterpret_cast<char*>(-1)) shmdt(shm.shmaddr);
    if (gc) XFreeGC(dpy, gc);
  }
};

std::unique_ptr<X11ShmTarget> X11ShmTarget::open(GLFWwindow* window, int width, int height, std::string& why) {
  if (width <= 0 || height <= 0) {
    why = "the window has no area";
    return nullptr;
  }
  auto s = std::make_unique<State>();
  s->dpy = glfwDisplay();
  s->window = s->dpy ? glfwX11Window(window) : 0;
  if (!s->dpy || !s->window) {
    why = "the window is not an X11 window";
    return nullptr;
  }
  if (!XShmQueryExtension(s->dpy)) {
    why = "the X server has no MIT-SHM extension";
    return nullptr;
  }
  XWindowAttributes attr;
  if (!XGetWindowAttributes(s->dpy, s->window, &attr)) {
    why = "cannot read the window's attributes";
    return nullptr;
  }
  const Visual* v = attr.visual;
  if ((attr.depth != 24 && attr.depth != 32) || v->red_mask != 0xff0000 || v->green_mask != 0xff00 ||
      v->blue_mask != 0xff) {
    why = "the window's visual is not 24-bit RGB with 8 bits a channel";
    return nullptr;
  }
  s->image = XShmCreateImage(s->dpy, attr.visual, unsigned(attr.depth), ZPixmap, nullptr, &s->shm, unsigned(width),
                             unsigned(height));
  if (!s->image) {
    why = "XShmCreateImage failed";
    return nullptr;
  }
  if (s->image->bits_per_pixel != 32 || s->image->byte_order != LSBFirst ||
      s->image->bytes_per_line != width * 4) {
    why = "the server's image layout is not 32-bit little-endian BGRX";
    return nullptr;
  }
  s->shm.shmid = shmget(IPC_PRIVATE, size_t(s->image->bytes_per_line) * size_t(height), IPC_CREAT | 0600);
  if (s->shm.shmid < 0) {
    why = "shmget failed (no shared memory for the frame)";
    return nullptr;
  }
  s->shm.shmaddr = s->image->data = static_cast<char*>(shmat(s->shm.shmid, nullptr, 0));
  if (s->shm.shmaddr == reinterpret_cast<char*>(-1)) {
    shmctl(s->shm.shmid, IPC_RMID, nullptr);
    why = "shmat failed";
    return nullptr;
  }
  s->shm.readOnly = False;
  XSync(s->dpy, False);  // errors of earlier requests are not ours to trap
  g_xError = false;
  XErrorHandler previous = XSetErrorHandler(trapError);
  const Bool ok = XShmAttach(s->dpy, &s->shm);
  XSync(s->dpy, False);
  XSetErrorHandler(previous);
  // Marked for removal now: the segment goes when both sides detach, also if this process dies.
  shmctl(s->shm.shmid, IPC_RMID, nullptr);
  if (!ok || g_xError) {
    why = "the X server cannot attach the shared segment (a remote display?)";
    return nullptr;
  }
  s->attached = true;
  s->gc = XCreateGC(s->dpy, s->window, 0, nullptr);
  return std::unique_ptr<X11ShmTarget>(new X11ShmTarget(std::move(s), width, height));
}

X11ShmTarget::X11ShmTarget(std::unique_ptr<State> s, int width, int height)
    : s_(std::move(s)), width_(width), height_(height) {}

X11ShmTarget::~X11ShmTarget() = default;

uint8_t* X11ShmTarget::pixels() {
  if (s_->inFlight) {
    XSync(s_->dpy, False);  // the server handles requests in order: the put has been read
    s_->inFlight = false;
  }
  return reinterpret_cast<uint8_t*>(s_->image->data);
}

void X11ShmTarget::put() {
  XShmPutImage(s_->dpy, s_->window, s_->gc, s_->image, 0, 0, 0, 0, unsigned(width_), unsigned(height_), False);
  XFlush(s_->dpy);
  s_->inFlight = true;
}

}  // namespace fieldscope
