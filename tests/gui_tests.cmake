# GUI/Vulkan tests
