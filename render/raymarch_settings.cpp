#include "render/raymarch_settings.h"

#include <glm/geometric.hpp>

namespace fieldscope {

shaderio::RaymarchUniforms raymarchUniforms(const CameraFrame& camera, const RaymarchSettings& s,
                                            const RaymarchGridGeometry& grid, int width, int height) {
  shaderio::RaymarchUniforms u{};
  u.origin = glm::vec4(camera.origin, camera.tanHalfFovY);
  u.right = glm::vec4(camera.right, float(width) / float(height));
  u.up = glm::vec4(camera.up, s.isoLevel);
  u.forward = glm::vec4(camera.forward, s.stepVoxels);
  // g = (p + h) n / 2h - 0.5: voxel k's centre -h + (k + 0.5) 2h / n maps to g = k.
  const float scale = float(grid.n) / (2.0f * grid.halfExtent);
  u.gridMap = glm::vec4(scale, grid.halfExtent * scale - 0.5f, grid.halfExtent, 0.0f);
  int flags = 0;
  if (s.clipPlane) {
    const glm::vec3 n(*s.clipPlane);
    const float len = glm::length(n);
    if (len > 0) {
      u.clipPlane = glm::vec4(n / len, s.clipPlane->w / len);
      flags |= RAYMARCH_FLAG_CLIP;
    }
  }
  if (!s.skipEmptySpace) flags |= RAYMARCH_FLAG_NO_SKIP;
  const StudioLight& l = s.light;
  auto toWorld = [&](glm::vec3 c) {
    return glm::normalize(c.x * camera.right + c.y * camera.up - c.z * camera.forward);
  };
  u.keyLight = glm::vec4(toWorld(l.keyFromCamera), l.keyIntensity);
  u.fillLight = glm::vec4(toWorld(l.fillFromCamera), l.fillIntensity);
  u.material = glm::vec4(l.albedo, l.ambient);
  u.specular = glm::vec4(l.specular, l.shininess, 0.0f, 0.0f);
  u.cutFace = glm::vec4(l.cutAlbedo, 0.0f);
  u.background = glm::vec4(s.background[0], s.background[1], s.background[2], s.background[3]);
  u.sizeInfo = glm::ivec4(width, height, grid.n, flags);
  u.marchInfo = glm::ivec4(grid.coarseCells(), s.maxIterations, s.bisectionSteps, s.renderMode);
  return u;
}

shaderio::RaymarchUniforms raymarchUniformsForRows(const CameraFrame& camera, const RaymarchSettings& s,
                                                   const RaymarchGridGeometry& grid, int width, int height, int row0,
                                                   int rows, float aspect) {
  shaderio::RaymarchUniforms u = raymarchUniforms(camera, s, grid, width, height);
  if (aspect > 0) u.right.w = aspect;
  // Row py of the band is row row0 + py of the picture: ndcY = b + a * ndcYBand with
  // a = rows / height, b = 1 - (2 row0 + rows) / height. The shader's ray is
  // forward + ndcX * right.w * origin.w * right + ndcY * origin.w * up, so: forward += b tan up,
  // origin.w = a tan, right.w = aspect / a (the horizontal term is unchanged).
  const float a = float(rows) / float(height);
  const float b = 1.0f - float(2 * row0 + rows) / float(height);
  const float tanHalf = camera.tanHalfFovY;
  u.forward = glm::vec4(camera.forward + (b * tanHalf) * camera.up, u.forward.w);
  u.origin.w = a * tanHalf;
  u.right.w = u.right.w / a;
  u.sizeInfo.y = rows;
  return u;
}

}  // namespace fieldscope
