// embed.html?src=…: one <proton-playground> filling the frame, for sites that only allow
// iframes. Query parameters become the element's attributes.
import './embed.js';

const params = new URLSearchParams(location.search);
const element = document.createElement('proton-playground');
for (const name of ['src', 'example', 'target', 'inputs', 'panels', 'height', 'theme', 'readonly']) {
  if (params.has(name)) element.setAttribute(name, params.get(name));
}
if (!params.has('src') && !params.has('example')) element.setAttribute('example', 'ecs-shared-env');
document.body.append(element);
