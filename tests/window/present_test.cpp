// What the X server shows in the window is the frame the presenter drew, on both of its paths: the
// Vulkan swapchain and, on a CPU driver, its own images put through MIT-SHM (render/x11_shm_target.h,
// docs/architecture.md "Presenting on a CPU driver"). Read back from the server with XGetImage, so
// the test sees the window as a user does, also after a resize. Runs under tests/with_display.sh.
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "render/context.h"
#include "render/presenter.h"
#include "render/window.h"
#include "tests/vulkan/test_support.h"

// GLFW's X11 handles (declared here: glfw3native.h would also want the Xrandr headers).
extern "C" Display* glfwGetX11Display(void);
extern "C" ::Window glfwGetX11Window(GLFWwindow* window);

namespace fieldscope {
namespace {

using Rgb = std::array<int, 3>;

// The window's pixel at (x, y) as the X server has it.
Rgb serverPixel(GLFWwindow* w, int x, int y) {
  Display* dpy = glfwGetX11Display();
  XSync(dpy, False);
  XImage* img = XGetImage(dpy, glfwGetX11Window(w), x, y, 1, 1, AllPlanes, ZPixmap);
  if (!img) return {-1, -1, -1};
  const unsigned long p = XGetPixel(img, 0, 0);
  XDestroyImage(img);
  return {int((p >> 16) & 0xff), int((p >> 8) & 0xff), int(p & 0xff)};
}

// Whether the display offers MIT-SHM (tests/gui_tests.cmake also runs these tests on an Xvfb
// started without it: FIELDSCOPE_XVFB_ARGS="-extension MIT-SHM").
bool serverHasMitShm() {
  int opcode = 0, event = 0, error = 0;
  return XQueryExtension(glfwGetX11Display(), "MIT-SHM", &opcode, &event, &error);
}

bool near(const Rgb& a, const Rgb& b) {
  for (int i = 0; i < 3; ++i)
    if (std::abs(a[i] - b[i]) > 1) return false;
  return true;
}

std::string text(const Rgb& c) {
  return "(" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ", " + std::to_string(c[2]) + ")";
}

struct Presented {
  std::unique_ptr<Window> window;
  std::unique_ptr<VulkanContext> ctx;
  std::unique_ptr<Presenter> presenter;
};

Presented open(const char* presentMode, int width, int height) {
  enableValidationForTests();
  if (presentMode)
    ::setenv("FIELDSCOPE_PRESENT", presentMode, 1);
  else
    ::unsetenv("FIELDSCOPE_PRESENT");
  Presented s;
  s.window = std::make_unique<Window>("present test", width, height);
  ContextOptions co;
  co.quiet = true;
  co.instanceExtensions = Window::requiredExtensions();
  Window* w = s.window.get();
  co.makeSurface = [w](VkInstance i) { return w->createSurface(i); };
  s.ctx = std::make_unique<VulkanContext>(co);
  s.presenter = std::make_unique<Presenter>(*s.ctx, *s.window);
  return s;
}

// Draws one frame cleared to `colour` (0-255), presents it, and returns the centre pixel of the
// frame's own capture.
Rgb drawFrame(Presented& s, Rgb colour) {
  const float clear[4] = {colour[0] / 255.f, colour[1] / 255.f, colour[2] / 255.f, 1.f};
  std::optional<Presenter::Frame> f;
  for (int i = 0; i < 10 && !f; ++i) {  // a resize recreates first and draws nothing that time
    glfwPollEvents();
    f = s.presenter->begin(clear);
  }
  if (!f) return {-1, -1, -1};
  s.presenter->beginRenderPass(*f);
  std::vector<uint8_t> capture;
  s.presenter->end(*f, &capture);
  s.presenter->flush();
  const VkExtent2D e = s.presenter->extent();
  const size_t i = (size_t(e.height / 2) * e.width + e.width / 2) * 4;
  return {capture[i], capture[i + 1], capture[i + 2]};
}

// The server shows the frame within a second (the swapchain's present may hand it over from a
// thread of its own).
Rgb waitForPixel(Presented& s, int x, int y, const Rgb& want) {
  Rgb got{};
  for (int i = 0; i < 100; ++i) {
    got = serverPixel(s.window->handle(), x, y);
    if (near(got, want)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return got;
}

// The path a presenter should take on this setup, given what was asked for: MIT-SHM where the
// server offers it and either it was asked for or the device is a CPU driver (Xvfb and any local
// X server offer it, unless started without it); else the swapchain.
const char* expectedPath(const char* mode, Presented& s) {
  const bool shm = serverHasMitShm();  // the window's display, GLFW's
  const std::string m = mode ? mode : "";
  if (m == "swapchain") return "swapchain";
  return shm && (m == "shm" || s.ctx->cpuDevice()) ? "X11 MIT-SHM" : "swapchain";
}

// One window for the whole check (each new connection to a fresh Xvfb is a chance for it to be
// between clients).
void checkPath(const char* mode) {
  Presented s = open(mode, 320, 200);
  EXPECT_STREQ(s.presenter->presentPath(), expectedPath(mode, s));
  const Rgb blue{40, 90, 200};
  EXPECT_TRUE(near(drawFrame(s, blue), blue));
  const Rgb seen = waitForPixel(s, 160, 100, blue);
  EXPECT_TRUE(near(seen, blue)) << s.presenter->presentPath() << ": the window shows " << text(seen);

  // A resize makes new images of the new size; the new area shows the next frame.
  glfwSetWindowSize(s.window->handle(), 400, 300);
  for (int i = 0; i < 100; ++i) {
    glfwPollEvents();
    int w = 0, h = 0;
    s.window->framebufferSize(w, h);
    if (w == 400 && h == 300) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const Rgb orange{230, 120, 20};
  EXPECT_TRUE(near(drawFrame(s, orange), orange));
  EXPECT_EQ(s.presenter->extent().width, 400u);
  EXPECT_EQ(s.presenter->extent().height, 300u);
  const Rgb corner = waitForPixel(s, 390, 290, orange);
  EXPECT_TRUE(near(corner, orange)) << s.presenter->presentPath() << " after a resize: the window shows "
                                    << text(corner);
  s.presenter.reset();
  EXPECT_EQ(s.ctx->validationErrors(), 0);
}

TEST(Present, TheWindowShowsTheFrameOnTheDefaultPath) { checkPath(nullptr); }

TEST(Present, TheWindowShowsTheFrameThroughTheSwapchain) { checkPath("swapchain"); }

// Asked for on any device; a server without MIT-SHM gets the swapchain instead, and a message.
TEST(Present, TheWindowShowsTheFrameThroughMitShmWhereTheServerHasIt) { checkPath("shm"); }

}  // namespace
}  // namespace fieldscope
